namespace Zeusd.Devices.Cpu;

/// <summary>
/// One CPU package's energy counters (a RAPL package and its optional DRAM zone). Values are cumulative microjoules,
/// already compensated for counter wraparound. Calls are made by one caller at a time; failures throw
/// <see cref="DeviceException"/>.
/// </summary>
public interface ICpuPackage
{
    bool HasDram { get; }

    ulong ReadPackageEnergyUj();

    /// <summary>Only valid when <see cref="HasDram"/> is true.</summary>
    ulong ReadDramEnergyUj();
}
