using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;
using Zeusd.Common;
using Zeusd.Compat;
using Zeusd.Interop.Libc;

namespace Zeusd.Transports;

/// <summary>
/// The daemon's listening Unix socket, bound by zeusd itself and handed to Kestrel as a descriptor
/// (<c>ListenHandle</c>), so that zeusd decides how the file is created and what is removed at exit.
/// <para>
/// Why this shape: a socket's mode and owner can only be set through its path (fchmod on a socket descriptor changes
/// the socket, not the file), and chmod/chown on a path follow whatever a writer of the directory put there. So the
/// socket is bound inside a fresh 0700 staging directory that only zeusd's user can enter; there nobody else can
/// connect to it or swap it for a symlink, whatever the umask, while its mode and owner are set (without following
/// links) and its inode is recorded. It is then moved to its final name with <c>renameat2(RENAME_NOREPLACE)</c>, which
/// is atomic and never replaces anything: the path appears already carrying the requested permissions, and if
/// anything took the name in the meantime startup fails instead of clobbering it. The directory itself must be
/// trusted (<see cref="SocketDirectory"/>), and every step acts on its open descriptor. No process-wide state (umask,
/// working directory) is touched, so nothing else in the process races with it.
/// </para>
/// </summary>
[SupportedOSPlatform("linux")]
public sealed partial class UnixSocketListener : IDisposable
{
    private const int Backlog = 512;          // Kestrel's default
    private const uint StagingMode = 0x1C0;   // 0700
    private const string StagedName = "s";

    private readonly SocketDirectory _directory;
    private readonly SafeFileHandle _socket;
    private readonly string _name;
    private readonly FileStatus _bound;
    private readonly ILogger _logger;
    private int _removed;

    private UnixSocketListener(SocketDirectory directory, SafeFileHandle socket, string name, string path, FileStatus bound, ILogger logger)
    {
        _directory = directory;
        _socket = socket;
        _name = name;
        Path = path;
        _bound = bound;
        _logger = logger;
    }

    public string Path { get; }

    /// <summary>The listening descriptor, for Kestrel's <c>ListenHandle</c>, whose socket does not own it (ownsHandle: false).</summary>
    public ulong Handle => (ulong)_socket.DangerousGetHandle();

    /// <summary>Binds and listens at <paramref name="path"/> (absolute) with <paramref name="access"/> already applied.</summary>
    public static UnixSocketListener Bind(string path, UnixSocketAccess access, ILogger logger)
    {
        int length = Encoding.UTF8.GetByteCount(path);
        if (length >= Libc.UnixPathCapacity)
        {
            throw new StartupException(
                $"Failed to listen on {path}: the path is {length} bytes long, and a Unix socket path must be shorter than " +
                $"{Libc.UnixPathCapacity} bytes (sun_path), or clients cannot connect to it. Choose a shorter --socket-path.");
        }
        string name = System.IO.Path.GetFileName(path);
        string parent = System.IO.Path.GetDirectoryName(path) ?? "/";
        var directory = SocketDirectory.OpenOrCreate(parent, path, logger);
        try
        {
            UnixSocketPreparer.Prepare(directory, name, path, logger);
            var (socket, bound) = BindStaged(directory, name, path, access);
            return new UnixSocketListener(directory, socket, name, path, bound, logger);
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Removes the socket file if it is still the one this daemon bound (same device and inode). Called when stopping
    /// begins, while the socket still listens: a newer zeusd probing the path then sees it live and refuses, so it
    /// cannot replace the file between this check and the unlink. A file that is no longer ours is left alone.
    /// </summary>
    public void RemoveIfStillOurs()
    {
        if (Interlocked.Exchange(ref _removed, 1) != 0)
        {
            return;
        }
        try
        {
            if (FileStatus.OfEntry(_directory.Handle, _name) is { } current && current.IsSameFileAs(_bound))
            {
                if (Libc.UnlinkAt(_directory.Fd, _name, 0) != 0)
                {
                    Log.CannotRemove(_logger, Path, IoErrorText.LastOsError());
                }
                return;
            }
            Log.NotOurs(_logger, Path);
        }
        catch (IOException ex)
        {
            Log.CannotRemove(_logger, Path, ex.Message);
        }
    }

    /// <summary>Closes the socket (Kestrel's listener does not own the descriptor), removing the file first if startup failed.</summary>
    public void Dispose()
    {
        RemoveIfStillOurs();
        _socket.Dispose();
        _directory.Dispose();
    }

    private static (SafeFileHandle Socket, FileStatus Bound) BindStaged(SocketDirectory directory, string name, string path, UnixSocketAccess access)
    {
        // The name needs to be unlikely, not secret: mkdirat is exclusive and the directory is 0700. Random.Shared, not
        // RandomNumberGenerator, so binding a socket does not load OpenSSL (absent on minimal nodes).
        string staging = $".zeusd-bind-{Environment.ProcessId:x}-{Random.Shared.NextInt64():x16}";
        // The umask can only remove bits from 0700: the staging directory is never looser.
        if (Libc.MkdirAt(directory.Fd, staging, StagingMode) != 0)
        {
            throw new StartupException($"Failed to listen on {path}: cannot create a file in {directory.Path}: {IoErrorText.LastOsError()}");
        }
        int stagingFd = Libc.OpenAt(directory.Fd, staging, Libc.OpenPath | Libc.OpenDirectory | Libc.OpenNoFollow | Libc.OpenCloseOnExec, 0);
        try
        {
            if (stagingFd < 0)
            {
                throw new StartupException($"Failed to listen on {path}: cannot open {System.IO.Path.Combine(directory.Path, staging)}: {IoErrorText.LastOsError()}");
            }
            var socket = CreateSocket(path);
            try
            {
                BindTo(socket, StagedAddress(directory, staging, stagingFd), path);
                if (Libc.FChmodAt(stagingFd, StagedName, (uint)access.Mode, 0) != 0)
                {
                    throw new StartupException($"Failed to set the permissions of {path}: {IoErrorText.LastOsError()}");
                }
                if ((access.Uid is not null || access.Gid is not null) &&
                    Libc.FChownAt(stagingFd, StagedName, access.Uid ?? uint.MaxValue, access.Gid ?? uint.MaxValue, Libc.AtSymlinkNoFollow) != 0)
                {
                    throw new StartupException($"Failed to change the owner of {path}: {IoErrorText.LastOsError()}");
                }
                var bound = FileStatus.OfEntry(new SafeFileHandle(stagingFd, ownsHandle: false), StagedName)
                    ?? throw new StartupException($"Failed to listen on {path}: the socket vanished while being set up");
                if (Libc.Listen((int)socket.DangerousGetHandle(), Backlog) != 0)
                {
                    throw new StartupException($"Failed to listen on {path}: {IoErrorText.LastOsError()}");
                }
                if (Libc.RenameAt2(stagingFd, StagedName, directory.Fd, name, Libc.RenameNoReplace) != 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    throw new StartupException(errno == (int)Errno.EEXIST
                        ? $"Failed to listen on {path}: another file took the path while zeusd was binding it; it was left alone"
                        : $"Failed to listen on {path}: cannot move the socket into place: {IoErrorText.OsError((Errno)errno)}");
                }
                return (socket, bound);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        finally
        {
            if (stagingFd >= 0)
            {
                Libc.UnlinkAt(stagingFd, StagedName, 0); // still there only if something failed
                new SafeFileHandle(stagingFd, ownsHandle: true).Dispose();
            }
            Libc.UnlinkAt(directory.Fd, staging, Libc.AtRemoveDir);
        }
    }

    /// <summary>
    /// The staged socket's address. Through <c>/proc/self/fd</c> the address names the staging directory's descriptor,
    /// so it is short whatever the directory's path and cannot be redirected; without /proc, the full path.
    /// </summary>
    private static string StagedAddress(SocketDirectory directory, string staging, int stagingFd) =>
        System.IO.Directory.Exists("/proc/self/fd")
            ? $"/proc/self/fd/{stagingFd}/{StagedName}"
            : System.IO.Path.Combine(directory.Path, staging, StagedName);

    private static SafeFileHandle CreateSocket(string path)
    {
        int fd = Libc.Socket(Libc.AddressFamilyUnix, Libc.SocketStream | Libc.SocketCloseOnExec, 0);
        if (fd < 0)
        {
            throw new StartupException($"Failed to listen on {path}: cannot create a socket: {IoErrorText.LastOsError()}");
        }
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    private static unsafe void BindTo(SafeFileHandle socket, string address, string path)
    {
        // struct sockaddr_un: sa_family_t sun_family; char sun_path[108].
        Span<byte> sockaddr = stackalloc byte[2 + Libc.UnixPathCapacity];
        sockaddr.Clear();
        BitConverter.TryWriteBytes(sockaddr, (ushort)Libc.AddressFamilyUnix);
        int written = Encoding.UTF8.GetBytes(address, sockaddr[2..^1]);
        fixed (byte* p = sockaddr)
        {
            if (Libc.Bind((int)socket.DangerousGetHandle(), p, 2 + written + 1) != 0)
            {
                throw new StartupException($"Failed to listen on {path}: {IoErrorText.LastOsError()}");
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(10, LogLevel.Warning, "Leaving {Path} in place: it is no longer the socket this zeusd bound (another zeusd may be serving there).")]
        public static partial void NotOurs(ILogger logger, string path);

        [LoggerMessage(11, LogLevel.Warning, "Could not remove the socket {Path}: {Reason}")]
        public static partial void CannotRemove(ILogger logger, string path, string reason);
    }
}
