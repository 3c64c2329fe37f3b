using System.Runtime.InteropServices;

namespace Zeusd.Interop.Libc;

internal static partial class Libc
{
    public const int AtFdCwd = -100;
    public const int AtSymlinkNoFollow = 0x100; // AT_SYMLINK_NOFOLLOW
    public const int AtRemoveDir = 0x200;       // AT_REMOVEDIR
    public const int AtEmptyPath = 0x1000;      // AT_EMPTY_PATH: the call acts on dirFd itself

    public const uint StatxType = 0x1;
    public const uint StatxMode = 0x2;
    public const uint StatxUid = 0x8;
    public const uint StatxGid = 0x10;
    public const uint StatxIno = 0x100;

    public const ushort FileTypeMask = 0xF000;      // S_IFMT
    public const ushort FileTypeSocket = 0xC000;    // S_IFSOCK
    public const ushort FileTypeSymlink = 0xA000;   // S_IFLNK
    public const ushort FileTypeRegular = 0x8000;   // S_IFREG
    public const ushort FileTypeDirectory = 0x4000; // S_IFDIR

    /// <summary>
    /// The start of <c>struct statx</c>, whose layout, unlike <c>struct stat</c>'s, is the same on every architecture.
    /// The kernel writes 256 bytes; <see cref="StatxBuffer"/> reserves them.
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    public struct StatxBuffer
    {
        [FieldOffset(0)] public uint Mask;
        [FieldOffset(20)] public uint Uid;
        [FieldOffset(24)] public uint Gid;
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(32)] public ulong Ino;
        [FieldOffset(136)] public uint DevMajor;
        [FieldOffset(140)] public uint DevMinor;
    }

    /// <summary>statx(2). Used where .NET exposes no file type, owner or inode (sockets, key files, directories).</summary>
    [LibraryImport(Name, EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Statx(int dirFd, string path, int flags, uint mask, out StatxBuffer buffer);
}
