using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Zeusd.Compat;

/// <summary>
/// OS errors as Rust's <c>io::Error</c> displays them: <c>No such file or directory (os error 2)</c>.
/// </summary>
/// <remarks>
/// .NET's exception messages are not used: the daemon is built with <c>UseSystemResourceKeys</c>, which replaces them
/// with resource keys, so the text comes from the C library's strerror.
/// </remarks>
public static class RustIoErrorText
{
    public const int ENOENT = 2;
    public const int EACCES = 13;
    public const int EISDIR = 21;
    public const int ENAMETOOLONG = 36;

    public static string OsError(int errno) => $"{Marshal.GetPInvokeErrorMessage(errno)} (os error {errno})";

    /// <summary>The errno behind a failed file open or read, or 0 when .NET does not keep it.</summary>
    public static int ErrnoOf(Exception error, string path) => error switch
    {
        Win32Exception win32 => win32.NativeErrorCode,
        FileNotFoundException or DirectoryNotFoundException => ENOENT,
        UnauthorizedAccessException when Directory.Exists(path) => EISDIR,
        UnauthorizedAccessException => EACCES,
        PathTooLongException => ENAMETOOLONG,
        IOException { HResult: > 0 and < 4096 } io => io.HResult, // .NET keeps the raw errno here on Unix
        _ => 0,
    };

    /// <summary>The Rust text of a failed file operation on <paramref name="path"/>.</summary>
    public static string Describe(Exception error, string path)
    {
        int errno = ErrnoOf(error, path);
        return errno == 0 ? error.GetType().Name : OsError(errno);
    }
}
