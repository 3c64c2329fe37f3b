namespace Zeusd.Devices.Cpu.Rapl;

/// <summary>Where the RAPL powercap tree is read from.</summary>
public static class RaplPaths
{
    /// <summary>Replaces the base directory when set (tests, unusual hosts).</summary>
    public const string OverrideVariable = "ZEUSD_RAPL_DIR";

    /// <summary>Where the Docker image expects the host's powercap tree to be bind-mounted.</summary>
    public const string ContainerDirectory = "/zeus_sys/class/powercap/intel-rapl";

    public const string HostDirectory = "/sys/class/powercap/intel-rapl";

    /// <summary><paramref name="overrideDirectory"/> if set, else the container mount if it exists, else the host's sysfs.</summary>
    public static string BaseDirectory(string? overrideDirectory) =>
        !string.IsNullOrEmpty(overrideDirectory) ? overrideDirectory
        : Directory.Exists(ContainerDirectory) ? ContainerDirectory
        : HostDirectory;
}
