using System.Runtime.InteropServices;

namespace Zeusd.Interop.Libc;

/// <summary>errno values the daemon reacts to, and their text as operators know it from the original daemon.</summary>
internal static class OsError
{
    public const int NoSuchFile = 2;           // ENOENT
    public const int Interrupted = 4;          // EINTR
    public const int AccessDenied = 13;        // EACCES
    public const int Exists = 17;              // EEXIST
    public const int NotADirectory = 20;       // ENOTDIR
    public const int ReadOnlyFileSystem = 30;  // EROFS
    public const int TooManySymlinks = 40;     // ELOOP
    public const int AddressInUse = 98;        // EADDRINUSE

    /// <summary><c>Permission denied (os error 13)</c>: strerror plus the number, as Rust's io::Error prints it.</summary>
    public static string Describe(int errno) => $"{Marshal.GetPInvokeErrorMessage(errno)} (os error {errno})";

    /// <summary>The text of the calling thread's last P/Invoke error.</summary>
    public static string Last() => Describe(Marshal.GetLastPInvokeError());
}
