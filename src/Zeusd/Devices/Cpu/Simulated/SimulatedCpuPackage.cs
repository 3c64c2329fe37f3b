namespace Zeusd.Devices.Cpu.Simulated;

/// <summary>
/// A CPU package that exists only in memory: its counters integrate a believable, varying draw and never decrease.
/// Thread-safe, since the management queue and the power poller share one instance.
/// </summary>
public sealed class SimulatedCpuPackage : ICpuPackage
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly double _packageDrawUw;
    private readonly double _dramDrawUw;
    private double _packageUj;
    private double _dramUj;
    private long _last;

    public SimulatedCpuPackage(int index, bool hasDram, TimeProvider time)
    {
        _time = time;
        HasDram = hasDram;
        _packageDrawUw = 65_000_000 + index * 7_000_000.0;
        _dramDrawUw = 9_000_000;
        _packageUj = 40_000_000_000 + index * 3_000_000_000.0;
        _dramUj = 6_000_000_000;
        _last = time.GetTimestamp();
    }

    public bool HasDram { get; }

    public ulong ReadPackageEnergyUj()
    {
        lock (_lock)
        {
            Integrate();
            return (ulong)_packageUj;
        }
    }

    public ulong ReadDramEnergyUj()
    {
        if (!HasDram)
        {
            throw new InvalidOperationException("This package has no DRAM zone.");
        }
        lock (_lock)
        {
            Integrate();
            return (ulong)_dramUj;
        }
    }

    private void Integrate()
    {
        long now = _time.GetTimestamp();
        double seconds = (now - _last) / (double)_time.TimestampFrequency;
        if (seconds <= 0)
        {
            return;
        }
        double t = now / (double)_time.TimestampFrequency;
        double load = 1.0 + 0.15 * Math.Sin(t * 0.9) + 0.05 * Math.Sin(t * 11.0);
        _packageUj += _packageDrawUw * load * seconds;
        _dramUj += _dramDrawUw * (0.5 + 0.5 * load) * seconds;
        _last = now;
    }
}
