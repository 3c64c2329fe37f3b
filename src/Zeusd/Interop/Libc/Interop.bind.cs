using System.Runtime.InteropServices;

namespace Zeusd.Interop.Libc;

internal static partial class Libc
{
    /// <summary>Bytes of <c>sun_path</c> in <c>struct sockaddr_un</c>, the terminating NUL included.</summary>
    public const int UnixPathCapacity = 108;

    [LibraryImport(Name, EntryPoint = "bind", SetLastError = true)]
    public static unsafe partial int Bind(int fd, byte* address, int length);
}
