using Microsoft.Extensions.Logging;

namespace Zeusd.Devices.Cpu.Rapl;

/// <summary>
/// Finds the RAPL packages under a powercap directory the way the original daemon does (contract §9): every entry whose
/// name contains <c>intel-rapl</c> and that is a directory counts as a package (so a psys zone counts too), and the
/// packages are taken to be <c>intel-rapl:0..n-1</c>. A package's DRAM zone is its subzone named <c>dram</c>.
/// </summary>
public static partial class RaplDiscovery
{
    private const string ZonePrefix = "intel-rapl";

    /// <returns>The packages, or null when <paramref name="baseDirectory"/> cannot be read (no RAPL on this node).</returns>
    /// <exception cref="DeviceException">
    /// A zone lacks a required file (<c>Initialization for CPU i unexpectedly errored.</c>) or a counter cannot be read
    /// (<c>IOError: ...</c>, for example without root).
    /// </exception>
    public static RaplPackageInfo[]? Discover(string baseDirectory, ILogger logger)
    {
        int count;
        try
        {
            // Only the count matters: packages are assumed contiguous, as the original daemon does.
            count = ZoneDirectories(baseDirectory).Length;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.RaplNotAvailable(logger, RaplIoError.From(ex, baseDirectory).Message);
            return null;
        }
        var packages = new RaplPackageInfo[count];
        for (int i = 0; i < packages.Length; i++)
        {
            packages[i] = DiscoverPackage(baseDirectory, i, logger);
        }
        Log.Found(logger, baseDirectory, packages.Length);
        return packages;
    }

    private static RaplPackageInfo DiscoverPackage(string baseDirectory, int index, ILogger logger)
    {
        var package = OpenZone(Path.Combine(baseDirectory, $"{ZonePrefix}:{index}"), index, logger);
        RaplZoneInfo? dram = null;
        string[] subzones;
        try
        {
            subzones = ZoneDirectories(package.Directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw RaplIoError.From(ex, package.Directory);
        }
        foreach (string subzone in subzones)
        {
            var zone = OpenZone(subzone, index, logger);
            if (dram is null && zone.Name == "dram")
            {
                dram = zone;
            }
        }
        return new RaplPackageInfo(index, package, dram);
    }

    /// <summary>Checks the zone's files, reads its name and range, and reads its counter once to prove access.</summary>
    private static RaplZoneInfo OpenZone(string directory, int index, ILogger logger)
    {
        foreach (string file in (ReadOnlySpan<string>)["name", "energy_uj", "max_energy_range_uj"])
        {
            string path = Path.Combine(directory, file);
            if (!File.Exists(path))
            {
                Log.MissingFile(logger, path);
                throw new DeviceException(DeviceErrorKind.InitializationFailed, $"Initialization for CPU {index} unexpectedly errored.");
            }
        }
        string name = SysfsFile.ReadText(Path.Combine(directory, "name"));
        var zone = new RaplZoneInfo(directory, name, SysfsFile.ReadUInt64(Path.Combine(directory, "max_energy_range_uj")));
        SysfsFile.ReadUInt64(zone.EnergyPath);
        return zone;
    }

    /// <summary>Entries named like RAPL zones that are directories (following symlinks), in name order.</summary>
    private static string[] ZoneDirectories(string directory)
    {
        var zones = Directory.GetFileSystemEntries(directory, "*", ListEverything)
            .Where(path => Path.GetFileName(path).Contains(ZonePrefix, StringComparison.Ordinal) && Directory.Exists(path))
            .ToArray();
        Array.Sort(zones, StringComparer.Ordinal);
        return zones;
    }

    private static readonly EnumerationOptions ListEverything = new()
    {
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
        MatchType = MatchType.Simple,
        RecurseSubdirectories = false,
    };

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "RAPL not available ({Reason}); serving zero CPUs")]
        public static partial void RaplNotAvailable(ILogger logger, string reason);

        [LoggerMessage(2, LogLevel.Information, "RAPL: {Count} package(s) under {Directory}")]
        public static partial void Found(ILogger logger, string directory, int count);

        [LoggerMessage(3, LogLevel.Error, "RAPL zone file {Path} is missing")]
        public static partial void MissingFile(ILogger logger, string path);
    }
}
