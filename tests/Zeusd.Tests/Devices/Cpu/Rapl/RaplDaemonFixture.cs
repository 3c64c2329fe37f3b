using Zeusd.Tests.Integration;
using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Devices.Cpu.Rapl;

/// <summary>
/// <c>zeusd serve --enable cpu-read</c> on a fake single-socket node: <c>intel-rapl:0</c> is the package with a DRAM
/// zone, <c>intel-rapl:1</c> the platform (psys) zone, which the daemon counts as a second package without DRAM.
/// Tests sharing it must not change the counters.
/// </summary>
public sealed class RaplDaemonFixture : DaemonFixture
{
    public const ulong Package0Uj = 123_456_789_012;
    public const ulong Dram0Uj = 7_654_321;
    public const ulong Psys1Uj = 555;

    public FakeRaplTree Tree { get; } = new FakeRaplTree()
        .AddPackage(0, energyUj: Package0Uj, dramEnergyUj: Dram0Uj)
        .AddPackage(1, energyUj: Psys1Uj, name: "psys", coreSubzone: false);

    protected override Task<DaemonProcess> StartAsync() => DaemonProcess.StartAsync(["--enable", "cpu-read"], Tree.Environment);

    protected override void DisposeResources() => Tree.Dispose();
}
