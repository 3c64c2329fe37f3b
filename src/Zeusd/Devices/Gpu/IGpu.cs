namespace Zeusd.Devices.Gpu;

/// <summary>
/// The operations zeusd performs on one GPU. Calls are synchronous and are made by one caller at a time (the GPU's
/// <see cref="DeviceQueue{TDevice}"/> or its power poller). Failures throw <see cref="DeviceException"/>.
/// </summary>
public interface IGpu
{
    void SetPersistenceMode(bool enabled);
    bool GetPersistenceMode();

    /// <summary>Sets the power management limit in milliwatts; the driver validates the range.</summary>
    void SetPowerLimit(uint milliwatts);
    uint GetPowerLimit();
    PowerLimitConstraints GetPowerLimitConstraints();

    void SetGpuLockedClocks(uint minMhz, uint maxMhz);
    void ResetGpuLockedClocks();
    void SetMemoryLockedClocks(uint minMhz, uint maxMhz);
    void ResetMemoryLockedClocks();

    /// <summary>
    /// Resets every clock domain. NVML has no single call for it (both resets, see <see cref="GpuOperations"/>);
    /// AMD SMI resets all domains at once and cannot reset one alone.
    /// </summary>
    void ResetLockedClocks() => GpuOperations.ResetLockedClocks(this);

    /// <summary>Instantaneous board power in milliwatts.</summary>
    uint GetInstantPower();

    /// <summary>Energy in millijoules since the driver was loaded.</summary>
    ulong GetTotalEnergyConsumption();
}
