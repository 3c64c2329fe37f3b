namespace Zeusd.Devices.Cpu.Rapl;

/// <summary>
/// A handle on one RAPL package: its package zone and its DRAM zone, each wrapping independently. Every handle has its
/// own wrap state, so the management queue's handle and the power poller's handle never disturb one another.
/// </summary>
public sealed class RaplPackage(RaplPackageInfo info) : ICpuPackage
{
    private readonly RaplZone _package = new(info.Package);
    private readonly RaplZone? _dram = info.Dram is { } dram ? new RaplZone(dram) : null;

    public bool HasDram => _dram is not null;

    public ulong ReadPackageEnergyUj() => _package.ReadEnergyUj();

    public ulong ReadDramEnergyUj() =>
        // A caller bug, not a device failure: the routes answer null for a package without DRAM.
        _dram?.ReadEnergyUj() ?? throw new InvalidOperationException($"CPU {info.Index} has no DRAM zone.");
}
