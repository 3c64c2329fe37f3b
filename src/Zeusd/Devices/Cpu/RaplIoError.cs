using System.Runtime.InteropServices;

namespace Zeusd.Devices.Cpu;

/// <summary>
/// The contract's <c>IOError: ...</c> texts for failed sysfs reads, worded like the OS error
/// (<c>Permission denied (os error 13)</c>) plus the file, so an operator sees at once what failed and where.
/// </summary>
/// <remarks>
/// .NET's own exception messages are not used: the daemon is built with <c>UseSystemResourceKeys</c>, which replaces
/// them with resource keys.
/// </remarks>
public static class RaplIoError
{
    private const int EPERM = 1;
    private const int ENOENT = 2;
    private const int EACCES = 13;

    /// <summary>A failed open or read of <paramref name="path"/>.</summary>
    public static DeviceException From(Exception error, string path)
    {
        string reason = error switch
        {
            UnauthorizedAccessException => $"{OsError(EACCES)}: {path} (reading RAPL energy counters needs root since CVE-2020-8694)",
            FileNotFoundException or DirectoryNotFoundException => $"{OsError(ENOENT)}: {path}",
            IOException { HResult: > 0 and < 4096 } io => $"{OsError(io.HResult)}: {path}",
            _ => $"{error.GetType().Name}: {path}",
        };
        return new DeviceException(DeviceErrorKind.Io, "IOError: " + reason, error);
    }

    /// <summary>Contents that are not what the file should hold (Rust's <c>InvalidData</c> kind).</summary>
    public static DeviceException InvalidData(string path, string detail) =>
        new(DeviceErrorKind.Io, $"IOError: {detail} (InvalidData): {path}");

    private static string OsError(int errno) => errno switch
    {
        // Fixed texts for the common cases; strerror for the rest.
        EPERM => "Operation not permitted (os error 1)",
        ENOENT => "No such file or directory (os error 2)",
        EACCES => "Permission denied (os error 13)",
        _ => $"{Marshal.GetPInvokeErrorMessage(errno)} (os error {errno})",
    };
}
