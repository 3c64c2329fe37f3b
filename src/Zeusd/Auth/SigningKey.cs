using Microsoft.Win32.SafeHandles;
using Zeusd.Compat;
using Zeusd.Common;
using Zeusd.Interop.Libc;

namespace Zeusd.Auth;

/// <summary>
/// The HS256 secret: the raw bytes of the <c>--signing-key-path</c> file, with no trimming or decoding (a trailing
/// newline is part of the key), exactly as the original daemon and its <c>token issue</c> read it. Stricter than the
/// original: the key must hold at least 256 bits (RFC 7518 §3.2) and must not be accessible to group or others, since
/// anyone who can read it can mint tokens for any scope.
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
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new StartupException($"Failed to read signing key from '{path}': {Describe(ex, path)}", ex);
        }

        byte[] bytes;
        using (handle)
        {
            if (!OperatingSystem.IsWindows())
            {
                // Checked on the open handle, so the mode belongs to the very file that is read.
                var mode = File.GetUnixFileMode(handle);
                if ((mode & AccessibleToOthers) != 0)
                {
                    throw new StartupException(
                        $"Signing key file '{path}' is readable or writable by group or others (mode {FormatMode(mode)}); " +
                        $"restrict it with: chmod 600 '{path}'");
                }
            }
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

    private const UnixFileMode AccessibleToOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private static string FormatMode(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0xFFF, 8);

    /// <summary>Reads up to <paramref name="limit"/> bytes; works for pipes too (e.g. <c>--signing-key-path &lt;(...)</c>).</summary>
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
