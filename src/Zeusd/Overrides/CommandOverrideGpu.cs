using Zeusd.Devices.Gpu;
using Zeusd.GpuWrites;

namespace Zeusd.Overrides;

/// <summary>
/// A GPU whose overridden writes run the overrides file's commands instead of the driver call, which is skipped
/// entirely; every other operation, and every read, goes to the real backend (NVML, AMD SMI or simulated).
/// </summary>
public sealed class CommandOverrideGpu(int index, IGpu inner, GpuCommandOverrides overrides, OverrideCommandRunner runner) : IGpu
{
    public void SetPersistenceMode(bool enabled)
    {
        if (!TryRun(GpuWriteOperation.SetPersistenceMode, new PlaceholderValues(index, Enabled: enabled)))
        {
            inner.SetPersistenceMode(enabled);
        }
    }

    public void SetPowerLimit(uint milliwatts)
    {
        if (!TryRun(GpuWriteOperation.SetPowerLimit, new PlaceholderValues(index, PowerLimitMw: milliwatts)))
        {
            inner.SetPowerLimit(milliwatts);
        }
    }

    public void SetGpuLockedClocks(uint minMhz, uint maxMhz)
    {
        if (!TryRun(GpuWriteOperation.SetGpuLockedClocks, new PlaceholderValues(index, MinClockMhz: minMhz, MaxClockMhz: maxMhz)))
        {
            inner.SetGpuLockedClocks(minMhz, maxMhz);
        }
    }

    public void ResetGpuLockedClocks()
    {
        if (!TryRun(GpuWriteOperation.ResetGpuLockedClocks, new PlaceholderValues(index)))
        {
            inner.ResetGpuLockedClocks();
        }
    }

    public void SetMemoryLockedClocks(uint minMhz, uint maxMhz)
    {
        if (!TryRun(GpuWriteOperation.SetMemLockedClocks, new PlaceholderValues(index, MinClockMhz: minMhz, MaxClockMhz: maxMhz)))
        {
            inner.SetMemoryLockedClocks(minMhz, maxMhz);
        }
    }

    public void ResetMemoryLockedClocks()
    {
        if (!TryRun(GpuWriteOperation.ResetMemLockedClocks, new PlaceholderValues(index)))
        {
            inner.ResetMemoryLockedClocks();
        }
    }

    /// <summary>
    /// Both clock domains as one operation: an override replaces the backend's whole reset (on NVIDIA both per-domain
    /// driver resets); without one, the backend's own reset runs, not the per-domain overrides.
    /// </summary>
    public void ResetLockedClocks()
    {
        if (!TryRun(GpuWriteOperation.ResetLockedClocks, new PlaceholderValues(index)))
        {
            inner.ResetLockedClocks();
        }
    }

    public bool GetPersistenceMode() => inner.GetPersistenceMode();
    public uint GetPowerLimit() => inner.GetPowerLimit();
    public PowerLimitConstraints GetPowerLimitConstraints() => inner.GetPowerLimitConstraints();
    public uint GetInstantPower() => inner.GetInstantPower();
    public ulong GetTotalEnergyConsumption() => inner.GetTotalEnergyConsumption();

    private bool TryRun(GpuWriteOperation operation, PlaceholderValues values)
    {
        if (overrides.Get(operation) is not { } spec)
        {
            return false;
        }
        runner.Run(spec, values);
        return true;
    }
}
