using System.ComponentModel;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Zeusd.Interop.Libc;

/// <summary>Type, mode and owner of a file (symlinks followed).</summary>
internal readonly record struct FileStatus(ushort Mode, uint Uid, uint Gid)
{
    public bool IsSocket => (Mode & Libc.FileTypeMask) == Libc.FileTypeSocket;

    public bool IsRegularFile => (Mode & Libc.FileTypeMask) == Libc.FileTypeRegular;

    /// <summary>Permission bits (the low 12 bits of the mode).</summary>
    public int Permissions => Mode & 0xFFF;

    /// <summary>The status of <paramref name="path"/>, or null if it does not exist.</summary>
    public static FileStatus? Of(string path)
    {
        if (Libc.Statx(Libc.AtFdCwd, path, 0, Libc.StatxType | Libc.StatxMode | Libc.StatxUid, out var buffer) == 0)
        {
            return new FileStatus(buffer.Mode, buffer.Uid, buffer.Gid);
        }
        int errno = Marshal.GetLastPInvokeError();
        if (errno == 2 /* ENOENT */)
        {
            return null;
        }
        throw new IOException($"Cannot stat '{path}': {new Win32Exception(errno).Message}", errno);
    }

    /// <summary>
    /// The status of the file <paramref name="handle"/> has open (fstat): what was opened, not what the path names now.
    /// </summary>
    /// <exception cref="IOException">statx failed; <see cref="Exception.HResult"/> is the errno.</exception>
    public static FileStatus OfOpenFile(SafeFileHandle handle)
    {
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            int fd = (int)handle.DangerousGetHandle();
            if (Libc.Statx(fd, "", Libc.AtEmptyPath, Libc.StatxType | Libc.StatxMode | Libc.StatxUid, out var buffer) == 0)
            {
                return new FileStatus(buffer.Mode, buffer.Uid, buffer.Gid);
            }
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"Cannot stat an open file: {new Win32Exception(errno).Message}", errno);
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }
}
