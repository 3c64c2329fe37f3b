namespace Zeusd.Devices.Cpu.Rapl;

/// <summary>
/// One reader of one RAPL zone's <c>energy_uj</c>, compensated for wraparound with this reader's own wrap count.
/// Not thread-safe: a zone reader belongs to one package handle, which one caller uses at a time.
/// </summary>
public sealed class RaplZone(RaplZoneInfo info)
{
    private readonly RaplWraparound _wraparound = new(info.MaxEnergyRangeUj);

    public RaplZoneInfo Info => info;

    /// <summary>The counter in µJ: the raw value plus one counter range per wrap this reader has seen.</summary>
    public ulong ReadEnergyUj() => _wraparound.Unwrap(SysfsFile.ReadUInt64(info.EnergyPath));
}
