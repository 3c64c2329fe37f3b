namespace Zeusd.Devices.Gpu.Simulated;

/// <summary>
/// A GPU that exists only in memory, for machines without NVIDIA hardware. It behaves like a real board: power varies
/// around a draw that the power limit caps, energy integrates that power and never decreases, the driver's range
/// checks are enforced with NVML's error texts, and settings are remembered. Thread-safe: the management queue and
/// the power poller share one instance.
/// </summary>
public sealed class SimulatedGpu : IGpu
{
    public const uint MinPowerLimitMw = 100_000;
    public const uint MaxPowerLimitMw = 300_000;
    public const uint MinGraphicsClockMhz = 210;
    public const uint MaxGraphicsClockMhz = 1740;
    public const uint MinMemoryClockMhz = 405;
    public const uint MaxMemoryClockMhz = 7251;

    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly uint _idleDrawMw;
    private uint _powerLimitMw = MaxPowerLimitMw;
    private bool _persistence;
    private (uint Min, uint Max)? _graphicsClocks;
    private (uint Min, uint Max)? _memoryClocks;
    private double _energyMj;
    private long _lastIntegration;

    public SimulatedGpu(int index, TimeProvider time)
    {
        _time = time;
        // Each board draws a little differently so that a multi-GPU view looks like a real node.
        _idleDrawMw = 180_000 + (uint)index * 12_000;
        _energyMj = 5_000_000 + index * 1_000_000.0;
        _lastIntegration = time.GetTimestamp();
    }

    public void SetPersistenceMode(bool enabled)
    {
        lock (_lock)
        {
            _persistence = enabled;
        }
    }

    public bool GetPersistenceMode()
    {
        lock (_lock)
        {
            return _persistence;
        }
    }

    public void SetPowerLimit(uint milliwatts)
    {
        if (milliwatts is < MinPowerLimitMw or > MaxPowerLimitMw)
        {
            throw GpuErrors.InvalidArgument();
        }
        lock (_lock)
        {
            Integrate();
            _powerLimitMw = milliwatts;
        }
    }

    public uint GetPowerLimit()
    {
        lock (_lock)
        {
            return _powerLimitMw;
        }
    }

    public PowerLimitConstraints GetPowerLimitConstraints() => new(MinPowerLimitMw, MaxPowerLimitMw);

    public void SetGpuLockedClocks(uint minMhz, uint maxMhz)
    {
        Validate(minMhz, maxMhz, MinGraphicsClockMhz, MaxGraphicsClockMhz);
        lock (_lock)
        {
            Integrate();
            _graphicsClocks = (minMhz, maxMhz);
        }
    }

    public void ResetGpuLockedClocks()
    {
        lock (_lock)
        {
            Integrate();
            _graphicsClocks = null;
        }
    }

    public void SetMemoryLockedClocks(uint minMhz, uint maxMhz)
    {
        Validate(minMhz, maxMhz, MinMemoryClockMhz, MaxMemoryClockMhz);
        lock (_lock)
        {
            _memoryClocks = (minMhz, maxMhz);
        }
    }

    public void ResetMemoryLockedClocks()
    {
        lock (_lock)
        {
            _memoryClocks = null;
        }
    }

    public void ResetLockedClocks() => GpuOperations.ResetGraphicsThenMemoryClocks(this);

    /// <summary>Locked graphics clocks, or null when unlocked (for tests and logs).</summary>
    public (uint Min, uint Max)? GraphicsClocks
    {
        get { lock (_lock) { return _graphicsClocks; } }
    }

    /// <summary>Locked memory clocks, or null when unlocked.</summary>
    public (uint Min, uint Max)? MemoryClocks
    {
        get { lock (_lock) { return _memoryClocks; } }
    }

    public uint GetInstantPower()
    {
        lock (_lock)
        {
            Integrate();
            double seconds = _time.GetTimestamp() / (double)_time.TimestampFrequency;
            // A slow swing (a training step's rhythm) plus a fast ripple, both deterministic.
            double variation = 0.06 * Math.Sin(seconds * 2.1) + 0.015 * Math.Sin(seconds * 37.0);
            return (uint)Math.Max(0, MeanDrawMw() * (1.0 + variation));
        }
    }

    public ulong GetTotalEnergyConsumption()
    {
        lock (_lock)
        {
            Integrate();
            return (ulong)_energyMj;
        }
    }

    private static void Validate(uint min, uint max, uint lowest, uint highest)
    {
        if (min > max || min < lowest || max > highest)
        {
            throw GpuErrors.InvalidArgument();
        }
    }

    /// <summary>The draw the board settles at: its workload, capped by the power limit and slowed by locked clocks.</summary>
    private double MeanDrawMw()
    {
        double draw = _idleDrawMw;
        if (_graphicsClocks is { } clocks)
        {
            draw *= 0.55 + 0.45 * clocks.Max / MaxGraphicsClockMhz;
        }
        return Math.Min(draw, _powerLimitMw);
    }

    private void Integrate()
    {
        long now = _time.GetTimestamp();
        double seconds = (now - _lastIntegration) / (double)_time.TimestampFrequency;
        if (seconds > 0)
        {
            _energyMj += MeanDrawMw() * seconds;
            _lastIntegration = now;
        }
    }
}
