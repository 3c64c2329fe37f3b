using System.Runtime.InteropServices;

namespace Zeusd.Interop.Libc;

internal static partial class Libc
{
    [LibraryImport(Name, EntryPoint = "fsync", SetLastError = true)]
    public static partial int Fsync(int fd);
}
