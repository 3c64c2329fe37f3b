namespace Zeusd.Devices.Cpu;

/// <summary>
/// A source of CPU packages: RAPL sysfs, or the simulated node. Each <see cref="Open"/> returns an independent handle
/// with its own wraparound state.
/// </summary>
public interface ICpuBackend
{
    int PackageCount { get; }

    ICpuPackage Open(int index);
}
