using Microsoft.Extensions.Logging.Abstractions;
using Zeusd.Devices;
using Zeusd.Devices.Cpu.Rapl;
using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Devices.Cpu.Rapl;

public sealed class RaplPackageTests : IDisposable
{
    private readonly FakeRaplTree _tree = new();

    public void Dispose() => _tree.Dispose();

    private RaplBackend Backend() => new(RaplDiscovery.Discover(_tree.Root, NullLogger.Instance)!);

    [Fact]
    public void Read_CountersAsSysfsPrintsThem_ReturnsMicrojoules()
    {
        _tree.AddPackage(0, energyUj: 123_456_789, dramEnergyUj: 7_654_321);
        var package = Backend().Open(0);

        Assert.True(package.HasDram);
        Assert.Equal(123_456_789UL, package.ReadPackageEnergyUj());
        Assert.Equal(7_654_321UL, package.ReadDramEnergyUj());
    }

    [Fact]
    public void Read_PackageAndDramCounters_WrapIndependently()
    {
        _tree.AddPackage(0, energyUj: 900, dramEnergyUj: 400, maxRangeUj: 1_000, dramMaxRangeUj: 500);
        var package = Backend().Open(0);
        Assert.Equal(900UL, package.ReadPackageEnergyUj());
        Assert.Equal(400UL, package.ReadDramEnergyUj());

        _tree.SetEnergy(0, 100);
        _tree.SetDramEnergy(0, 450);
        Assert.Equal(1_100UL, package.ReadPackageEnergyUj());
        Assert.Equal(450UL, package.ReadDramEnergyUj());

        _tree.SetDramEnergy(0, 20);
        Assert.Equal(520UL, package.ReadDramEnergyUj());
        _tree.SetDramEnergy(0, 10);
        Assert.Equal(1_010UL, package.ReadDramEnergyUj());
        Assert.Equal(1_100UL, package.ReadPackageEnergyUj());
    }

    [Fact]
    public void Open_TwoHandles_KeepSeparateWrapState()
    {
        _tree.AddPackage(0, energyUj: 900, maxRangeUj: 1_000);
        var backend = Backend();
        var queueHandle = backend.Open(0);
        Assert.Equal(900UL, queueHandle.ReadPackageEnergyUj());

        _tree.SetEnergy(0, 100);
        var pollerHandle = backend.Open(0);

        Assert.Equal(100UL, pollerHandle.ReadPackageEnergyUj());
        Assert.Equal(1_100UL, queueHandle.ReadPackageEnergyUj());
    }

    [Fact]
    public void Read_MaxRangeChangedAfterStartup_UsesTheRangeReadAtStartup()
    {
        _tree.AddPackage(0, energyUj: 900, maxRangeUj: 1_000);
        var package = Backend().Open(0);
        package.ReadPackageEnergyUj();
        File.WriteAllText(Path.Combine(_tree.ZoneDirectory(0), "max_energy_range_uj"), "5000\n");

        _tree.SetEnergy(0, 100);

        Assert.Equal(1_100UL, package.ReadPackageEnergyUj());
    }

    [Theory]
    [InlineData("  42 \n", 42)]
    [InlineData("+42", 42)]
    [InlineData("0042\n", 42)]
    [InlineData("18446744073709551615\n", ulong.MaxValue)]
    public void Read_WhitespaceAndSigns_ParsesLikeTheOriginalDaemon(string contents, ulong expected)
    {
        _tree.AddPackage(0, energyUj: 1);
        var package = Backend().Open(0);
        FakeRaplTree.Replace(_tree.EnergyPath(0), contents);

        Assert.Equal(expected, package.ReadPackageEnergyUj());
    }

    [Theory]
    [InlineData("12abc\n", "invalid digit found in string")]
    [InlineData("-5\n", "invalid digit found in string")]
    [InlineData("1.5\n", "invalid digit found in string")]
    [InlineData("", "cannot parse integer from empty string")]
    [InlineData("18446744073709551616\n", "number too large to fit in target type")]
    public void Read_NonNumericContents_ThrowsIoError(string contents, string detail)
    {
        _tree.AddPackage(0, energyUj: 1, dramEnergyUj: 2);
        var package = Backend().Open(0);
        FakeRaplTree.Replace(_tree.DramEnergyPath(0), contents);

        var error = Assert.Throws<DeviceException>(() => package.ReadDramEnergyUj());

        Assert.Equal(DeviceErrorKind.Io, error.Kind);
        Assert.Equal($"IOError: {detail} (InvalidData): {_tree.DramEnergyPath(0)}", error.Message);
        Assert.Equal(1UL, package.ReadPackageEnergyUj());
    }

    [Fact]
    public void Read_ContentsLongerThanAnyCounter_ThrowsIoError()
    {
        _tree.AddPackage(0, energyUj: 1);
        var package = Backend().Open(0);
        FakeRaplTree.Replace(_tree.EnergyPath(0), new string('1', 5000));

        var error = Assert.Throws<DeviceException>(() => package.ReadPackageEnergyUj());

        Assert.StartsWith("IOError: contents longer than", error.Message);
    }

    [Fact]
    public void Read_CounterFileRemovedAfterStartup_ThrowsIoErrorNamingTheFile()
    {
        _tree.AddPackage(0, energyUj: 1);
        var package = Backend().Open(0);
        File.Delete(_tree.EnergyPath(0));

        var error = Assert.Throws<DeviceException>(() => package.ReadPackageEnergyUj());

        Assert.Equal(DeviceErrorKind.Io, error.Kind);
        Assert.Equal($"IOError: No such file or directory (os error 2): {_tree.EnergyPath(0)}", error.Message);
    }

    [Fact]
    public void Read_AfterAFailedRead_KeepsTheWrapState()
    {
        _tree.AddPackage(0, energyUj: 900, maxRangeUj: 1_000);
        var package = Backend().Open(0);
        package.ReadPackageEnergyUj();
        FakeRaplTree.Replace(_tree.EnergyPath(0), "garbage");
        Assert.Throws<DeviceException>(() => package.ReadPackageEnergyUj());

        _tree.SetEnergy(0, 950);

        Assert.Equal(950UL, package.ReadPackageEnergyUj());
    }

    [Fact]
    public void ReadDram_PackageWithoutDram_IsACallerBugNotADeviceError()
    {
        _tree.AddPackage(0, energyUj: 1);
        var package = Backend().Open(0);

        Assert.False(package.HasDram);
        Assert.Throws<InvalidOperationException>(() => package.ReadDramEnergyUj());
    }
}
