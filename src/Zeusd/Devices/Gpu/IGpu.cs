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
    /// Resets graphics and memory locked clocks as one operation (<c>/gpu/reset_locked_clocks</c>); a backend or a
    /// decorator may do it its own way (AMD SMI through the performance level, a command override as one command).
    /// </summary>
    void ResetLockedClocks();

    /// <summary>Instantaneous board power in milliwatts.</summary>
    uint GetInstantPower();

    /// <summary>Energy in millijoules since the driver was loaded.</summary>
    ulong GetTotalEnergyConsumption();
}
