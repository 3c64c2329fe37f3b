using System.Runtime.InteropServices;

namespace Zeusd.Interop.Libc;

internal static partial class Libc
{
    public const uint RenameNoReplace = 0x1; // RENAME_NOREPLACE

    /// <summary>renameat2(2) (glibc 2.28+); with <see cref="RenameNoReplace"/> it fails with EEXIST instead of replacing.</summary>
    [LibraryImport(Name, EntryPoint = "renameat2", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int RenameAt2(int oldDirFd, string oldPath, int newDirFd, string newPath, uint flags);
}
