using System.Runtime.InteropServices;

namespace Zeusd.Interop.Libc;

internal static partial class Libc
{
    public const int AddressFamilyUnix = 1;       // AF_UNIX
    public const int SocketStream = 1;            // SOCK_STREAM
    public const int SocketCloseOnExec = 0x80000; // SOCK_CLOEXEC

    [LibraryImport(Name, EntryPoint = "socket", SetLastError = true)]
    public static partial int Socket(int domain, int type, int protocol);
}
