using Zeusd.Compat;
using Zeusd.Interop.Libc;

namespace Zeusd.Devices.Cpu.Rapl;

/// <summary>
/// The contract's <c>IOError: ...</c> texts for failed sysfs reads, worded like the OS error
/// (<c>Permission denied (os error 13)</c>) plus the file, so an operator sees at once what failed and where.
/// </summary>
public static class RaplIoError
{
    /// <summary>A failed open or read of <paramref name="path"/>.</summary>
    public static DeviceException From(Exception error, string path)
    {
        string reason = IoErrorText.ErrnoOf(error) switch
        {
            Errno.EACCES => $"{IoErrorText.OsError(Errno.EACCES)}: {path} (reading RAPL energy counters needs root since CVE-2020-8694)",
            { } errno => $"{IoErrorText.OsError(errno)}: {path}",
            null => $"{error.GetType().Name}: {path}",
        };
        return new DeviceException(DeviceErrorKind.Io, "IOError: " + reason, error);
    }

    /// <summary>Contents that are not what the file should hold (Rust's <c>InvalidData</c> kind).</summary>
    public static DeviceException InvalidData(string path, string detail) =>
        new(DeviceErrorKind.Io, $"IOError: {detail} (InvalidData): {path}");
}
