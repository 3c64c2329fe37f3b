using System.Runtime.InteropServices;

namespace Zeusd.Interop.Libc;

internal static partial class Libc
{
    /// <summary>unlinkat(2): removes the directory entry itself, never what a symlink points to.</summary>
    [LibraryImport(Name, EntryPoint = "unlinkat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int UnlinkAt(int dirFd, string path, int flags);
}
