using System.Runtime.InteropServices;

namespace Zeusd.Interop.Libc;

internal static partial class Libc
{
    public const int AtFdCwd = -100;
    /// <summary>With an empty path, statx describes the open file <c>dirFd</c> itself (fstat).</summary>
    public const int AtEmptyPath = 0x1000;
    public const uint StatxType = 0x1;
    public const uint StatxMode = 0x2;
    public const uint StatxUid = 0x8;

    public const ushort FileTypeMask = 0xF000; // S_IFMT
    public const ushort FileTypeSocket = 0xC000; // S_IFSOCK
    public const ushort FileTypeRegular = 0x8000; // S_IFREG

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
    }

    /// <summary>statx(2), following symlinks. Used where .NET exposes no file type or owner (sockets, key files).</summary>
    [LibraryImport(Name, EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Statx(int dirFd, string path, int flags, uint mask, out StatxBuffer buffer);
}
