using System.Runtime.InteropServices;

namespace Zeusd.Interop.Libc;

internal static partial class Libc
{
    [LibraryImport(Name, EntryPoint = "write", SetLastError = true)]
    public static unsafe partial nint Write(int fd, void* buffer, nuint count);
}
