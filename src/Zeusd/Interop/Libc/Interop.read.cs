using System.Runtime.InteropServices;

namespace Zeusd.Interop.Libc;

internal static partial class Libc
{
    [LibraryImport(Name, EntryPoint = "read", SetLastError = true)]
    public static unsafe partial nint Read(int fd, void* buffer, nuint count);
}
