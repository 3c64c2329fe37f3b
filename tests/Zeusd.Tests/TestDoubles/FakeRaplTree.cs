using Zeusd.Tests.Integration;

namespace Zeusd.Tests.TestDoubles;

/// <summary>
/// A powercap <c>intel-rapl</c> directory in a temp dir, laid out like the kernel's: <c>intel-rapl:N</c> zones with
/// <c>name</c>, <c>energy_uj</c> and <c>max_energy_range_uj</c>, and subzones <c>intel-rapl:N:M</c>. Files are
/// replaced atomically, so a daemon reading concurrently sees either the old or the new value, never an empty file.
/// </summary>
public sealed class FakeRaplTree : IDisposable
{
    /// <summary>Typical ranges on real hardware (2^32 * 61 µJ units and the DRAM domain's).</summary>
    public const ulong TypicalPackageRangeUj = 262_143_328_850;
    public const ulong TypicalDramRangeUj = 65_712_999_613;

    public FakeRaplTree()
    {
        Parent = DaemonProcess.NewTempDirectory();
        Root = Path.Combine(Parent, "intel-rapl");
        Directory.CreateDirectory(Root);
        // Like sysfs, the class directory holds more than zones.
        File.WriteAllText(Path.Combine(Root, "enabled"), "1\n");
        File.WriteAllText(Path.Combine(Root, "uevent"), "");
        Directory.CreateDirectory(Path.Combine(Root, "power"));
    }

    /// <summary>The directory to point <c>ZEUSD_RAPL_DIR</c> at.</summary>
    public string Root { get; }

    /// <summary>The temp directory holding <see cref="Root"/>, free for other files.</summary>
    public string Parent { get; }

    public IDictionary<string, string> Environment => new Dictionary<string, string> { ["ZEUSD_RAPL_DIR"] = Root };

    public string ZoneDirectory(int package, int? subzone = null) =>
        Path.Combine(Root, $"intel-rapl:{package}", subzone is { } sub ? $"intel-rapl:{package}:{sub}" : "");

    /// <summary>
    /// Adds <c>intel-rapl:<paramref name="index"/></c> named <paramref name="name"/> (default <c>package-N</c>) with a
    /// <c>core</c> subzone, and a <c>dram</c> subzone when <paramref name="dramEnergyUj"/> is given.
    /// </summary>
    public FakeRaplTree AddPackage(int index, ulong energyUj, ulong? dramEnergyUj = null, string? name = null,
        ulong maxRangeUj = TypicalPackageRangeUj, ulong dramMaxRangeUj = TypicalDramRangeUj, bool coreSubzone = true)
    {
        AddZone(ZoneDirectory(index), name ?? $"package-{index}", energyUj, maxRangeUj);
        int next = 0;
        if (coreSubzone)
        {
            AddZone(ZoneDirectory(index, next++), "core", 1_000, maxRangeUj);
        }
        if (dramEnergyUj is { } dram)
        {
            AddZone(ZoneDirectory(index, next), "dram", dram, dramMaxRangeUj);
        }
        return this;
    }

    /// <summary>A zone directory with the three attribute files, contents as sysfs prints them.</summary>
    public void AddZone(string directory, string name, ulong energyUj, ulong maxRangeUj)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "name"), name + "\n");
        File.WriteAllText(Path.Combine(directory, "energy_uj"), energyUj + "\n");
        File.WriteAllText(Path.Combine(directory, "max_energy_range_uj"), maxRangeUj + "\n");
        File.WriteAllText(Path.Combine(directory, "enabled"), "1\n");
    }

    public string EnergyPath(int package) => Path.Combine(ZoneDirectory(package), "energy_uj");

    public string DramEnergyPath(int package) =>
        Directory.GetDirectories(ZoneDirectory(package), "intel-rapl:*")
            .Select(zone => Path.Combine(zone, "energy_uj"))
            .Single(path => File.ReadAllText(Path.Combine(Path.GetDirectoryName(path)!, "name")) == "dram\n");

    public void SetEnergy(int package, ulong energyUj) => Replace(EnergyPath(package), energyUj + "\n");

    public void SetDramEnergy(int package, ulong energyUj) => Replace(DramEnergyPath(package), energyUj + "\n");

    /// <summary>Replaces a file's contents atomically (write a sibling, then rename over it).</summary>
    public static void Replace(string path, string contents)
    {
        string temp = path + ".new";
        File.WriteAllText(temp, contents);
        File.Move(temp, path, overwrite: true);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Parent, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
