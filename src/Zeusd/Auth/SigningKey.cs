using Microsoft.Win32.SafeHandles;
using Zeusd.Compat;
using Zeusd.Common;
using Zeusd.FileSafety;
using Zeusd.Interop.Libc;

namespace Zeusd.Auth;

/// <summary>
/// The HS256 secret: the raw bytes of the <c>--signing-key-path</c> file, with no trimming or decoding (a trailing
/// newline is part of the key), exactly as the original daemon and its <c>token issue</c> read it. Stricter than the
/// original: the key must hold at least 256 bits (RFC 7518 §3.2), must not be accessible to group or others, must be a
/// regular file owned by root or zeusd's user in a directory nobody else can write, since anyone who can read or replace
/// it can mint tokens for any scope.
/// </summary>
public sealed class SigningKey
{
    /// <summary>HS256 keys must be at least as long as the hash output (RFC 7518 §3.2).</summary>
    public const int MinimumLength = 32;

    /// <summary>A key is a short random secret; a larger file is a wrong path, not a key.</summary>
    public const int MaximumLength = 64 * 1024;

    private SigningKey(byte[] bytes) => Bytes = bytes;

    internal byte[] Bytes { get; }

    /// <summary>Reads and checks the key file; every failure is a <see cref="StartupException"/> naming the file.</summary>
    public static SigningKey Load(string path)
    {
        byte[] bytes;
        using (var handle = OperatingSystem.IsWindows() ? OpenPortable(path) : OpenChecked(path))
        {
            bytes = ReadAtMost(handle, path, MaximumLength + 1);
        }

        if (bytes.Length == 0)
        {
            throw new StartupException($"Signing key file '{path}' is empty");
        }
        if (bytes.Length < MinimumLength)
        {
            throw new StartupException(
                $"Signing key file '{path}' is too short ({bytes.Length} bytes); an HS256 key needs at least {MinimumLength} bytes. " +
                $"Generate one with: openssl rand -base64 32 > '{path}'");
        }
        if (bytes.Length > MaximumLength)
        {
            throw new StartupException($"Signing key file '{path}' is larger than {MaximumLength} bytes; it should hold a short random secret");
        }
        return new SigningKey(bytes);
    }

    /// <summary>A key from bytes already in memory (tests); the same length rules apply.</summary>
    internal static SigningKey FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length is < MinimumLength or > MaximumLength)
        {
            throw new ArgumentException($"An HS256 key needs {MinimumLength}..{MaximumLength} bytes.", nameof(bytes));
        }
        return new SigningKey(bytes.ToArray());
    }

    private static SafeFileHandle OpenPortable(string path)
    {
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new StartupException($"Failed to read signing key from '{path}': {Describe(ex, path)}", ex);
        }
    }

    /// <summary>
    /// Opens the key without blocking (a FIFO would otherwise hang startup until someone writes to it) and checks, on
    /// the open descriptor so that every check is about the very file that is read: a regular file, owned by root or
    /// by zeusd's user, not accessible to group or others, in a directory nobody else can write to (or they could
    /// swap in their own key and mint tokens for any scope).
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static SafeFileHandle OpenChecked(string path)
    {
        int fd = Libc.OpenAt(Libc.AtFdCwd, path,
            Libc.OpenReadOnly | Libc.OpenNonBlocking | Libc.OpenNoControllingTty | Libc.OpenCloseOnExec, 0);
        if (fd < 0)
        {
            throw new StartupException($"Failed to read signing key from '{path}': {IoErrorText.LastOsError()}");
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            var status = FileStatus.OfHandle(handle, path);
            if (status.IsDirectory)
            {
                throw new StartupException($"Failed to read signing key from '{path}': {IoErrorText.OsError(Errno.EISDIR)}");
            }
            if (!status.IsRegularFile)
            {
                throw new StartupException(
                    $"Signing key file '{path}' is not a regular file (a FIFO, socket or device); give the path of the file that holds the key");
            }
            uint euid = Privileges.EffectiveUserId;
            if (status.Uid != 0 && status.Uid != euid)
            {
                throw new StartupException(
                    $"Signing key file '{path}' is owned by uid {status.Uid}, not by root or zeusd's user (uid {euid}); " +
                    $"that user could replace the key and mint tokens. Fix with: chown {euid} '{path}'");
            }
            var mode = (UnixFileMode)status.Permissions;
            if ((mode & AccessibleToOthers) != 0)
            {
                throw new StartupException(
                    $"Signing key file '{path}' is readable or writable by group or others (mode {FormatMode(mode)}); " +
                    $"restrict it with: chmod 600 '{path}'");
            }
            RequireTrustedDirectory(fd, path, euid);
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The directory that really holds the opened file (symlinks resolved by the kernel) must be trusted.</summary>
    private static void RequireTrustedDirectory(int fd, string path, uint euid)
    {
        string real = new FileInfo($"/proc/self/fd/{fd}").LinkTarget ?? Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(real) ?? "/";
        FileStatus? status;
        try
        {
            status = FileStatus.Of(directory);
        }
        catch (IOException ex)
        {
            throw new StartupException($"Failed to check the directory of signing key '{path}': {ex.Message}", ex);
        }
        if (status is { } found && TrustedDirectory.WhyNotTrusted(found, directory, $"the signing key {path}", euid) is { } why)
        {
            throw new StartupException(why);
        }
    }

    private const UnixFileMode AccessibleToOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private static string FormatMode(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0xFFF, 8);

    /// <summary>Reads up to <paramref name="limit"/> bytes.</summary>
    private static byte[] ReadAtMost(SafeFileHandle handle, string path, int limit)
    {
        var buffer = new byte[4096];
        int total = 0;
        try
        {
            using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
            while (total < limit)
            {
                if (total == buffer.Length)
                {
                    Array.Resize(ref buffer, Math.Min(buffer.Length * 2, limit));
                }
                int read = stream.Read(buffer, total, buffer.Length - total);
                if (read == 0)
                {
                    break;
                }
                total += read;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"Failed to read signing key from '{path}': {Describe(ex, path)}", ex);
        }
        return buffer.AsSpan(0, total).ToArray();
    }

    /// <summary>The OS error as the original daemon prints it; opening a directory is EISDIR there, an access error here.</summary>
    private static string Describe(Exception error, string path) =>
        OperatingSystem.IsWindows() ? error.Message
        : error is UnauthorizedAccessException && Directory.Exists(path) ? IoErrorText.OsError(Errno.EISDIR)
        : IoErrorText.Describe(error);
}
