using System.Runtime.InteropServices;

namespace Zeusd.Interop.Libc;

/// <summary>Type, mode, owner and identity (device and inode) of a file.</summary>
internal readonly record struct FileStatus(ushort Mode, uint Uid, uint Gid, ulong Inode, uint DeviceMajor, uint DeviceMinor)
{
    private const uint Fields = Libc.StatxType | Libc.StatxMode | Libc.StatxUid | Libc.StatxGid | Libc.StatxIno;

    public bool IsSocket => (Mode & Libc.FileTypeMask) == Libc.FileTypeSocket;
    public bool IsSymlink => (Mode & Libc.FileTypeMask) == Libc.FileTypeSymlink;
    public bool IsRegularFile => (Mode & Libc.FileTypeMask) == Libc.FileTypeRegular;
    public bool IsDirectory => (Mode & Libc.FileTypeMask) == Libc.FileTypeDirectory;

    /// <summary>Permission bits (the low 12 bits of the mode).</summary>
    public int Permissions => Mode & 0xFFF;

    /// <summary>The same file: same inode on the same device.</summary>
    public bool IsSameFileAs(FileStatus other) =>
        Inode == other.Inode && DeviceMajor == other.DeviceMajor && DeviceMinor == other.DeviceMinor;

    /// <summary>The status of <paramref name="path"/> (symlinks followed), or null if it does not exist.</summary>
    public static FileStatus? Of(string path) => At(Libc.AtFdCwd, path, 0, path);

    /// <summary>The entry <paramref name="name"/> of an open directory itself (a symlink is not followed), or null if absent.</summary>
    public static FileStatus? OfEntry(SafeHandle directory, string name)
    {
        bool added = false;
        directory.DangerousAddRef(ref added);
        try
        {
            return At((int)directory.DangerousGetHandle(), name, Libc.AtSymlinkNoFollow, name);
        }
        finally
        {
            directory.DangerousRelease();
        }
    }

    /// <summary>The status of an open descriptor: the very file that was opened, whatever its path means now.</summary>
    public static FileStatus OfHandle(SafeHandle handle, string displayPath)
    {
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            return At((int)handle.DangerousGetHandle(), "", Libc.AtEmptyPath, displayPath)
                ?? throw new IOException($"Cannot stat '{displayPath}': {Marshal.GetPInvokeErrorMessage((int)Errno.ENOENT)}", (int)Errno.ENOENT);
        }
        finally
        {
            handle.DangerousRelease();
        }
    }

    private static FileStatus? At(int dirFd, string path, int flags, string displayPath)
    {
        if (Libc.Statx(dirFd, path, flags, Fields, out var b) == 0)
        {
            return new FileStatus(b.Mode, b.Uid, b.Gid, b.Ino, b.DevMajor, b.DevMinor);
        }
        int errno = Marshal.GetLastPInvokeError();
        if (errno == (int)Errno.ENOENT)
        {
            return null;
        }
        throw new IOException($"Cannot stat '{displayPath}': {Marshal.GetPInvokeErrorMessage(errno)}", errno);
    }
}
