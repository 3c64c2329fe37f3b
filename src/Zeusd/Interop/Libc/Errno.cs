namespace Zeusd.Interop.Libc;

/// <summary>The Linux errno values the daemon names in its messages.</summary>
public enum Errno
{
    EPERM = 1,
    ENOENT = 2,
    ESRCH = 3,
    EBADF = 9,
    EINTR = 4,
    EACCES = 13,
    EEXIST = 17,
    ENOTDIR = 20,
    EISDIR = 21,
    EROFS = 30,
    ERANGE = 34,
    ENAMETOOLONG = 36,
    ENOSYS = 38,
    ELOOP = 40,
}
