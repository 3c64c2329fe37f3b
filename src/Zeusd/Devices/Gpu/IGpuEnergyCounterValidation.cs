namespace Zeusd.Devices.Gpu;

/// <summary>
/// A backend whose energy counters must be checked against power before they are served (AMD SMI), which it does for
/// all GPUs at once after they are open, rather than <see cref="GpuFleet"/>'s per-GPU probe read.
/// </summary>
public interface IGpuEnergyCounterValidation
{
    /// <summary>Whether each opened GPU's counter may be served, by id.</summary>
    /// <exception cref="DeviceException">A read failed in a way that must stop startup.</exception>
    bool[] ValidateEnergyCounters();
}
