using System.Runtime.InteropServices;

namespace Zeusd.Interop.Libc;

internal static partial class Libc
{
    /// <summary>fchmodat(2) relative to a directory descriptor (follows a final symlink: use only where none can be).</summary>
    [LibraryImport(Name, EntryPoint = "fchmodat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int FChmodAt(int dirFd, string path, uint mode, int flags);
}
