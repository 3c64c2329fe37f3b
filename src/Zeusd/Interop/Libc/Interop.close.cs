using System.Runtime.InteropServices;

namespace Zeusd.Interop.Libc;

internal static partial class Libc
{
    [LibraryImport(Name, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);
}
