using System.Runtime.Versioning;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;
using Zeusd.FileSafety;
using Zeusd.Common;
using Zeusd.Compat;
using Zeusd.Interop.Libc;

namespace Zeusd.Transports;

/// <summary>
/// The directory the socket lives in, held open: every later step (stale-socket removal, publishing the socket,
/// removing it at exit) acts relative to this descriptor, so nobody can redirect them by renaming or symlinking a
/// path component after it was checked. Missing directories are created 0755 whatever the umask (the systemd unit's
/// <c>UMask=0077</c> would otherwise make them 0700, and non-root clients could not reach the socket).
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed partial class SocketDirectory : IDisposable
{
    private const uint CreatedDirectoryMode = 0x1ED; // 0755

    private readonly SafeFileHandle _handle;

    private SocketDirectory(SafeFileHandle handle, string path)
    {
        _handle = handle;
        Path = path;
    }

    public string Path { get; }

    /// <summary>The open directory (valid until <see cref="Dispose"/>).</summary>
    public int Fd => (int)_handle.DangerousGetHandle();

    public SafeFileHandle Handle => _handle;

    /// <summary>
    /// Opens <paramref name="directory"/> component by component from <c>/</c>, creating what is missing; refuses
    /// (StartupException) a directory that is not <see cref="TrustedDirectory">trusted</see>, both the one the socket
    /// goes into and any existing one zeusd has to create a directory in.
    /// </summary>
    public static SocketDirectory OpenOrCreate(string directory, string socketPath, ILogger logger)
    {
        string current = "/";
        var handle = Open(Libc.AtFdCwd, current, current, socketPath);
        try
        {
            foreach (string part in directory.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                string next = System.IO.Path.Combine(current, part);
                var child = TryOpen(handle, part, next, socketPath);
                if (child is null)
                {
                    RequireTrusted(handle, current, socketPath);
                    child = Create(handle, part, next, socketPath, logger);
                }
                handle.Dispose();
                handle = child;
                current = next;
            }
            RequireTrusted(handle, current, socketPath);
            return new SocketDirectory(handle, current);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public void Dispose() => _handle.Dispose();

    /// <summary>A path component, symlinks followed (as the kernel does for clients), or null if it does not exist.</summary>
    private static SafeFileHandle? TryOpen(SafeFileHandle parent, string name, string path, string socketPath)
    {
        int fd = Libc.OpenAt((int)parent.DangerousGetHandle(), name, Libc.OpenPath | Libc.OpenDirectory | Libc.OpenCloseOnExec, 0);
        if (fd >= 0)
        {
            return new SafeFileHandle(fd, ownsHandle: true);
        }
        int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        return errno == (int)Errno.ENOENT
            ? null
            : throw new StartupException($"Failed to listen on {socketPath}: cannot open the directory {path}: {IoErrorText.OsError((Errno)errno)}");
    }

    private static SafeFileHandle Open(int dirFd, string name, string path, string socketPath)
    {
        int fd = Libc.OpenAt(dirFd, name, Libc.OpenPath | Libc.OpenDirectory | Libc.OpenCloseOnExec, 0);
        if (fd < 0)
        {
            throw new StartupException($"Failed to listen on {socketPath}: cannot open the directory {path}: {IoErrorText.LastOsError()}");
        }
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    private static SafeFileHandle Create(SafeFileHandle parent, string name, string path, string socketPath, ILogger logger)
    {
        int parentFd = (int)parent.DangerousGetHandle();
        bool created = Libc.MkdirAt(parentFd, name, CreatedDirectoryMode) == 0;
        if (!created && System.Runtime.InteropServices.Marshal.GetLastPInvokeError() is var errno && errno != (int)Errno.EEXIST)
        {
            throw new StartupException($"Failed to listen on {socketPath}: cannot create the directory {path}: {IoErrorText.OsError((Errno)errno)}");
        }
        // O_NOFOLLOW: what was just created in a trusted directory is a directory, not a link someone slipped in.
        int fd = Libc.OpenAt(parentFd, name, Libc.OpenReadOnly | Libc.OpenDirectory | Libc.OpenNoFollow | Libc.OpenCloseOnExec, 0);
        if (fd < 0)
        {
            throw new StartupException($"Failed to listen on {socketPath}: cannot open the directory {path}: {IoErrorText.LastOsError()}");
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        // The umask has reduced mkdir's mode; set it on the descriptor (no path to redirect). Only on what zeusd
        // created: a directory that appeared meanwhile is someone else's and goes through the trust check instead.
        if (created && Libc.FChmod(fd, CreatedDirectoryMode) != 0)
        {
            string error = IoErrorText.LastOsError();
            handle.Dispose();
            throw new StartupException($"Failed to listen on {socketPath}: cannot set the mode of the directory {path}: {error}");
        }
        if (created)
        {
            Log.CreatedDirectory(logger, path);
        }
        return handle;
    }

    private static void RequireTrusted(SafeFileHandle directory, string path, string socketPath)
    {
        var status = FileStatus.OfHandle(directory, path);
        if (TrustedDirectory.WhyNotTrusted(status, path, $"the socket {socketPath}", Privileges.EffectiveUserId) is { } why)
        {
            throw new StartupException(why);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(5, LogLevel.Information, "Created socket directory {Directory}")]
        public static partial void CreatedDirectory(ILogger logger, string directory);
    }
}
