using System.Runtime.InteropServices;
using Zeusd.Interop.Libc;

namespace Zeusd.Compat;

/// <summary>
/// OS errors worded as Rust's <c>io::Error</c> displays them (<c>No such file or directory (os error 2)</c>), the form
/// the original daemon's operators and clients see in startup errors and <c>IOError: ...</c> bodies.
/// </summary>
public static class IoErrorText
{
    /// <summary><c>&lt;strerror&gt; (os error N)</c>, with fixed texts for the common cases (strerror varies by libc).</summary>
    public static string OsError(Errno errno) => errno switch
    {
        Errno.EPERM => "Operation not permitted (os error 1)",
        Errno.ENOENT => "No such file or directory (os error 2)",
        Errno.EACCES => "Permission denied (os error 13)",
        _ => $"{Marshal.GetPInvokeErrorMessage((int)errno)} (os error {(int)errno})",
    };

    /// <summary>The errno behind a .NET file-system exception on Unix, where it can be told; null otherwise.</summary>
    public static Errno? ErrnoOf(Exception error) => error switch
    {
        FileNotFoundException or DirectoryNotFoundException => Errno.ENOENT,
        UnauthorizedAccessException => Errno.EACCES,
        PathTooLongException => Errno.ENAMETOOLONG,
        // .NET keeps the raw errno in HResult of the IOExceptions it raises on Unix.
        IOException { HResult: > 0 and < 4096 } io => (Errno)io.HResult,
        _ => null,
    };

    /// <summary>The error as Rust would print it when its errno is known, else the exception's type and message.</summary>
    public static string Describe(Exception error) =>
        ErrnoOf(error) is { } errno ? OsError(errno) : $"{error.GetType().Name}: {error.Message}";
}
