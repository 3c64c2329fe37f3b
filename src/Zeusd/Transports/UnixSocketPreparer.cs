using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Zeusd.Interop.Libc;
using Zeusd.Common;

namespace Zeusd.Transports;

/// <summary>
/// Makes a socket path bindable without ever destroying something that is not ours: a stale socket (connection refused)
/// is removed; a live socket, a socket we cannot probe, or a non-socket file is left alone and startup fails.
/// Kestrel itself does not remove stale socket files, so a daemon that crashed would otherwise never restart.
/// </summary>
public static partial class UnixSocketPreparer
{
    public static void Prepare(string path, ILogger logger)
    {
        var status = FileStatus.Of(path);
        if (status is { } existing)
        {
            if (!existing.IsSocket)
            {
                Log.NotASocket(logger, path);
                throw new StartupException("Socket path is occupied by a non-socket file");
            }
            using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                probe.Connect(new UnixDomainSocketEndPoint(path));
                Log.SocketInUse(logger, path);
                throw new StartupException("Socket is in use by another process");
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
            {
                Log.RemovingStaleSocket(logger, path);
                File.Delete(path);
            }
            catch (SocketException ex)
            {
                Log.CannotProbe(logger, path, ex.Message);
                throw new StartupException("Socket file already exists");
            }
        }
        string? parent = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(parent) && !Directory.Exists(parent))
        {
            Directory.CreateDirectory(parent);
            Log.CreatedDirectory(logger, parent);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "{Path} already exists and is not a socket. Please remove it and restart Zeusd.")]
        public static partial void NotASocket(ILogger logger, string path);

        [LoggerMessage(2, LogLevel.Error, "Another process is listening on {Path}.")]
        public static partial void SocketInUse(ILogger logger, string path);

        [LoggerMessage(3, LogLevel.Warning, "Removing stale socket file {Path}.")]
        public static partial void RemovingStaleSocket(ILogger logger, string path);

        [LoggerMessage(4, LogLevel.Error, "Cannot determine whether the socket {Path} is live ({Reason}). Remove it if no other zeusd uses it, then restart Zeusd.")]
        public static partial void CannotProbe(ILogger logger, string path, string reason);

        [LoggerMessage(5, LogLevel.Information, "Created socket directory {Directory}")]
        public static partial void CreatedDirectory(ILogger logger, string directory);
    }
}
