using System.Runtime.InteropServices;

namespace Zeusd.Interop.Libc;

internal static partial class Libc
{
    /// <summary>fchmod(2) on an open file or directory: no path, so nothing to redirect.</summary>
    [LibraryImport(Name, EntryPoint = "fchmod", SetLastError = true)]
    public static partial int FChmod(int fd, uint mode);
}
