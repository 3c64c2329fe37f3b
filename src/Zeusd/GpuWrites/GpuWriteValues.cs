namespace Zeusd.GpuWrites;

/// <summary>
/// The values of one write, whatever its operation: a power limit, a clock range, or a flag (resets carry none).
/// Two numbers rather than a type per operation, so a command is one small value on the hot path.
/// </summary>
public readonly record struct GpuWriteValues(uint First, uint Second)
{
    public static GpuWriteValues None => default;

    public static GpuWriteValues PowerLimit(uint milliwatts) => new(milliwatts, 0);

    public static GpuWriteValues Clocks(uint minMhz, uint maxMhz) => new(minMhz, maxMhz);

    public static GpuWriteValues Persistence(bool enabled) => new(enabled ? 1u : 0u, 0);

    public uint PowerLimitMw => First;
    public uint MinClockMhz => First;
    public uint MaxClockMhz => Second;
    public bool Enabled => First != 0;
}
