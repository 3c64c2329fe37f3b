namespace Zeusd.Devices.Cpu.Rapl;

/// <summary>
/// Turns a RAPL zone's raw <c>energy_uj</c> readings, which wrap to zero after <c>max_energy_range_uj</c>, into a
/// cumulative count: a reading below the previous one means one more wrap. The first reading is the baseline and is
/// returned as is. Each reader of a zone keeps its own instance, so readers never disturb one another.
/// </summary>
/// <remarks>
/// A wrap adds <c>max_energy_range_uj</c>, not <c>max + 1</c>, to stay identical to the original daemon (contract §9).
/// Two wraps between readings look like one, which is why idle counters are read every 30 s.
/// </remarks>
public sealed class RaplWraparound(ulong maxEnergyRangeUj)
{
    private ulong? _previousRaw;

    public ulong MaxEnergyRangeUj { get; } = maxEnergyRangeUj;

    /// <summary>How many wraps this reader has seen.</summary>
    public ulong Wraps { get; private set; }

    /// <summary>Records <paramref name="rawUj"/> and returns the compensated cumulative value.</summary>
    public ulong Unwrap(ulong rawUj)
    {
        if (rawUj < _previousRaw)
        {
            Wraps++;
        }
        _previousRaw = rawUj;
        return rawUj + Wraps * MaxEnergyRangeUj;
    }
}
