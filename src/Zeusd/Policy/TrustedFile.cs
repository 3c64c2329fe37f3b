using System.Text;
using Microsoft.Win32.SafeHandles;
using Zeusd.Interop.Libc;

namespace Zeusd.Policy;

/// <summary>
/// Reads a configuration file a privileged daemon may act on: the checks run on the open descriptor (fstat), so they
/// describe the very file that is read, not whatever the path names a moment later. The file must be a regular file
/// owned by root or by the daemon's own user, not writable by others, and not writable by a group other than root's
/// (a group member could otherwise rewrite it).
/// </summary>
internal static class TrustedFile
{
    /// <summary>Policies are a few kilobytes; anything larger is a wrong path.</summary>
    public const int MaximumLength = 1 << 20;

    private const int GroupWrite = 0x10; // S_IWGRP
    private const int OtherWrite = 0x02; // S_IWOTH

    public static string ReadText(string path, string what)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new PolicyException($"cannot open {what} '{path}': {ex.Message}", ex);
        }
        using (handle)
        {
            if (!OperatingSystem.IsWindows())
            {
                Check(FileStatus.OfHandle(handle, path), path, what);
            }
            try
            {
                using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
                var buffer = new byte[MaximumLength + 1];
                int total = 0;
                int read;
                while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0)
                {
                    total += read;
                }
                if (total > MaximumLength)
                {
                    throw new PolicyException($"{what} '{path}' is larger than {MaximumLength} bytes");
                }
                return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(buffer, 0, total);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DecoderFallbackException)
            {
                throw new PolicyException($"cannot read {what} '{path}': {ex.Message}", ex);
            }
        }
    }

    private static void Check(FileStatus status, string path, string what)
    {
        if (!status.IsRegularFile)
        {
            throw new PolicyException($"{what} '{path}' is not a regular file");
        }
        uint euid = Privileges.EffectiveUserId;
        if (status.Uid != 0 && status.Uid != euid)
        {
            throw new PolicyException(
                $"{what} '{path}' is owned by uid {status.Uid}; it must be owned by root or by the daemon's user (uid {euid})");
        }
        if ((status.Permissions & OtherWrite) != 0)
        {
            throw new PolicyException(
                $"{what} '{path}' is writable by others (mode {Mode(status)}); restrict it with: chmod o-w '{path}'");
        }
        if ((status.Permissions & GroupWrite) != 0 && status.Gid != 0)
        {
            throw new PolicyException(
                $"{what} '{path}' is writable by group {status.Gid} (mode {Mode(status)}); restrict it with: chmod g-w '{path}'");
        }
    }

    private static string Mode(FileStatus status) => "0" + Convert.ToString(status.Permissions, 8);
}
