using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;
using Zeusd.Common;
using Zeusd.Compat;
using Zeusd.Interop.Libc;

namespace Zeusd.Overrides;

/// <summary>
/// Reads an overrides file that zeusd may trust: the commands it names run with the daemon's rights (and usually hold
/// passwordless sudo rules), so a file that another user could have changed is refused.
/// </summary>
/// <remarks>
/// The checks run on the open descriptor (fstat), not on the path, so the file that is checked is the file that is
/// read: swapping a symlink between the check and the read cannot slip in another file.
/// </remarks>
public static partial class OverrideFile
{
    /// <summary>An overrides file is a few lines of TOML; anything larger is a wrong path.</summary>
    public const int MaximumLength = 1 << 20;

    private const int WorldWritable = 0x002; // S_IWOTH
    private const int GroupWritable = 0x010; // S_IWGRP

    /// <exception cref="StartupException">The file cannot be read or is not trusted.</exception>
    public static string ReadTrusted(string path, ILogger logger)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw ReadError(path, DescribeIoError(ex, path));
        }
        using (handle)
        {
            if (!OperatingSystem.IsWindows())
            {
                CheckTrust(path, handle, logger);
            }
            return Decode(path, ReadAtMost(path, handle));
        }
    }

    private static void CheckTrust(string path, SafeFileHandle handle, ILogger logger)
    {
        FileStatus status;
        try
        {
            status = FileStatus.OfHandle(handle, path);
        }
        catch (IOException ex)
        {
            throw ReadError(path, IoErrorText.OsError((Errno)ex.HResult));
        }
        uint euid = Privileges.EffectiveUserId;
        if (status.Uid != 0 && status.Uid != euid)
        {
            throw new StartupException(
                $"GPU command override file '{path}' is owned by uid {status.Uid}; it must be owned by root or the user " +
                $"running zeusd (uid {euid}) because zeusd executes the commands it defines");
        }
        int mode = status.Permissions & 0x1FF;
        if ((mode & WorldWritable) != 0)
        {
            throw new StartupException(
                $"GPU command override file '{path}' is world-writable (mode {Convert.ToString(mode, 8)}); tighten its " +
                "permissions (e.g. chmod 644) because zeusd executes the commands it defines");
        }
        if ((mode & GroupWritable) != 0)
        {
            Log.GroupWritable(logger, path, Convert.ToString(mode, 8));
        }
        if (!status.IsRegularFile)
        {
            throw ReadError(path, "not a regular file");
        }
    }

    private static byte[] ReadAtMost(string path, SafeFileHandle handle)
    {
        var buffer = new byte[MaximumLength + 1];
        int total = 0;
        try
        {
            while (total < buffer.Length)
            {
                int read = RandomAccess.Read(handle, buffer.AsSpan(total), total);
                if (read == 0)
                {
                    break;
                }
                total += read;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw ReadError(path, DescribeIoError(ex, path));
        }
        if (total > MaximumLength)
        {
            throw ReadError(path, $"the file is larger than {MaximumLength} bytes; an overrides file is a short TOML file");
        }
        return buffer.AsSpan(0, total).ToArray();
    }

    private static string Decode(string path, byte[] bytes)
    {
        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw ReadError(path, "stream did not contain valid UTF-8");
        }
    }

    /// <summary>Rust's text of a failed open or read; opening a directory is EISDIR, as Rust's read reports it.</summary>
    private static string DescribeIoError(Exception error, string path) =>
        error is UnauthorizedAccessException && Directory.Exists(path) ? IoErrorText.OsError(Errno.EISDIR) : IoErrorText.Describe(error);

    private static StartupException ReadError(string path, string cause) =>
        new(AnyhowErrorText.Format($"Failed to read GPU command override file '{path}'", cause));

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning,
            "GPU command override file '{Path}' is group-writable (mode {Mode}); anyone in the group can change which commands zeusd executes")]
        public static partial void GroupWritable(ILogger logger, string path, string mode);
    }
}
