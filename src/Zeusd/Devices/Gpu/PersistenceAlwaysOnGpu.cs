namespace Zeusd.Devices.Gpu;

/// <summary>
/// Windows rules for persistence mode: NVML's persistence API is Linux-only and the Windows kernel driver is always
/// loaded, so "enable" is a successful no-op, "disable" is refused and the mode always reads as enabled.
/// </summary>
public sealed class PersistenceAlwaysOnGpu(IGpu inner) : IGpu
{
    public void SetPersistenceMode(bool enabled)
    {
        if (!enabled)
        {
            throw GpuErrors.PersistenceCannotBeDisabled();
        }
    }

    public bool GetPersistenceMode() => true;

    public void SetPowerLimit(uint milliwatts) => inner.SetPowerLimit(milliwatts);
    public uint GetPowerLimit() => inner.GetPowerLimit();
    public PowerLimitConstraints GetPowerLimitConstraints() => inner.GetPowerLimitConstraints();
    public void SetGpuLockedClocks(uint minMhz, uint maxMhz) => inner.SetGpuLockedClocks(minMhz, maxMhz);
    public void ResetGpuLockedClocks() => inner.ResetGpuLockedClocks();
    public void SetMemoryLockedClocks(uint minMhz, uint maxMhz) => inner.SetMemoryLockedClocks(minMhz, maxMhz);
    public void ResetMemoryLockedClocks() => inner.ResetMemoryLockedClocks();
    public void ResetLockedClocks() => inner.ResetLockedClocks();
    public uint GetInstantPower() => inner.GetInstantPower();
    public ulong GetTotalEnergyConsumption() => inner.GetTotalEnergyConsumption();
}
