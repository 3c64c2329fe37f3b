using Microsoft.Extensions.Logging.Abstractions;
using Zeusd.Devices;
using Zeusd.Devices.Cpu.Rapl;
using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Devices.Cpu.Rapl;

public sealed class RaplDiscoveryTests : IDisposable
{
    private readonly FakeRaplTree _tree = new();

    public void Dispose() => _tree.Dispose();

    private RaplPackageInfo[]? Discover() => RaplDiscovery.Discover(_tree.Root, NullLogger.Instance);

    [Fact]
    public void Discover_MissingDirectory_ReturnsNullForZeroCpus()
    {
        Assert.Null(RaplDiscovery.Discover(Path.Combine(_tree.Parent, "absent"), NullLogger.Instance));
    }

    [Fact]
    public void Discover_DirectoryWithoutZones_FindsNoPackages()
    {
        Assert.Empty(Discover()!);
    }

    [Fact]
    public void Discover_TwoSockets_FindsDramOnlyWhereASubzoneIsNamedDram()
    {
        _tree.AddPackage(0, energyUj: 10, dramEnergyUj: 20).AddPackage(1, energyUj: 30);

        var packages = Discover()!;

        Assert.Equal(2, packages.Length);
        Assert.Equal(0, packages[0].Index);
        Assert.Equal("package-0", packages[0].Package.Name);
        Assert.Equal(_tree.ZoneDirectory(0, 1), packages[0].Dram!.Directory);
        Assert.Equal(FakeRaplTree.TypicalDramRangeUj, packages[0].Dram!.MaxEnergyRangeUj);
        Assert.Equal(FakeRaplTree.TypicalPackageRangeUj, packages[0].Package.MaxEnergyRangeUj);
        Assert.Null(packages[1].Dram);
        Assert.Equal(2, new RaplBackend(packages).PackageCount);
    }

    [Fact]
    public void Discover_PsysZoneNamedIntelRapl1_CountsAsAPackage()
    {
        // A single-socket laptop: intel-rapl:1 is the platform (psys) domain, which the original daemon counts too.
        _tree.AddPackage(0, energyUj: 10, dramEnergyUj: 20).AddPackage(1, energyUj: 30, name: "psys", coreSubzone: false);

        var packages = Discover()!;

        Assert.Equal(["package-0", "psys"], packages.Select(p => p.Package.Name));
        Assert.Null(packages[1].Dram);
    }

    [Fact]
    public void Discover_DramNameWithTrailingWhitespace_IsDram()
    {
        _tree.AddPackage(0, energyUj: 10, coreSubzone: false);
        _tree.AddZone(_tree.ZoneDirectory(0, 0), "dram \t", 5, 100);

        Assert.NotNull(Discover()![0].Dram);
    }

    [Fact]
    public void Discover_SubzoneNamedOtherwise_IsNotDram()
    {
        _tree.AddPackage(0, energyUj: 10);
        _tree.AddZone(_tree.ZoneDirectory(0, 1), "uncore", 5, 100);

        Assert.Null(Discover()![0].Dram);
    }

    [Fact]
    public void Discover_FilesAndOtherDirectories_AreNotCounted()
    {
        _tree.AddPackage(0, energyUj: 10);
        File.WriteAllText(Path.Combine(_tree.Root, "intel-rapl:1"), "not a directory");
        Directory.CreateDirectory(Path.Combine(_tree.Root, "subsystem"));

        Assert.Single(Discover()!);
    }

    [Fact]
    public void Discover_SymlinkedZoneDirectories_AreFollowed()
    {
        // /sys/class/powercap/intel-rapl:N are symlinks into /sys/devices/virtual/powercap.
        using var devices = new FakeRaplTree();
        devices.AddPackage(0, energyUj: 10, dramEnergyUj: 20);
        Directory.CreateSymbolicLink(Path.Combine(_tree.Root, "intel-rapl:0"), devices.ZoneDirectory(0));

        var packages = Discover()!;

        Assert.Single(packages);
        Assert.NotNull(packages[0].Dram);
    }

    [Fact]
    public void Discover_NonContiguousPackages_FailsForTheMissingIndex()
    {
        _tree.AddPackage(0, energyUj: 10).AddPackage(2, energyUj: 30);

        var error = Assert.Throws<DeviceException>(Discover);

        Assert.Equal("Initialization for CPU 1 unexpectedly errored.", error.Message);
        Assert.Equal(DeviceErrorKind.InitializationFailed, error.Kind);
    }

    [Theory]
    [InlineData("name")]
    [InlineData("energy_uj")]
    [InlineData("max_energy_range_uj")]
    public void Discover_PackageZoneLacksAFile_FailsNamingThePackage(string file)
    {
        _tree.AddPackage(0, energyUj: 10).AddPackage(1, energyUj: 30);
        File.Delete(Path.Combine(_tree.ZoneDirectory(1), file));

        var error = Assert.Throws<DeviceException>(Discover);

        Assert.Equal("Initialization for CPU 1 unexpectedly errored.", error.Message);
    }

    [Theory]
    [InlineData("name")]
    [InlineData("energy_uj")]
    [InlineData("max_energy_range_uj")]
    public void Discover_SubzoneLacksAFile_FailsNamingThePackage(string file)
    {
        _tree.AddPackage(0, energyUj: 10, dramEnergyUj: 20);
        File.Delete(Path.Combine(_tree.ZoneDirectory(0, 1), file));

        var error = Assert.Throws<DeviceException>(Discover);

        Assert.Equal("Initialization for CPU 0 unexpectedly errored.", error.Message);
    }

    [Theory]
    [InlineData("energy_uj", "abc\n", "invalid digit found in string")]
    [InlineData("max_energy_range_uj", "\n", "cannot parse integer from empty string")]
    [InlineData("energy_uj", "99999999999999999999\n", "number too large to fit in target type")]
    public void Discover_NonNumericCounter_FailsWithIoError(string file, string contents, string detail)
    {
        _tree.AddPackage(0, energyUj: 10);
        string path = Path.Combine(_tree.ZoneDirectory(0), file);
        File.WriteAllText(path, contents);

        var error = Assert.Throws<DeviceException>(Discover);

        Assert.Equal(DeviceErrorKind.Io, error.Kind);
        Assert.Equal($"IOError: {detail} (InvalidData): {path}", error.Message);
    }
}
