namespace Zeusd.Devices.Gpu;

/// <summary>
/// A source of GPUs: NVML, or the simulated node. Each <see cref="Open"/> returns an independent handle, so the
/// management queue and the power poller of a GPU never share one.
/// </summary>
public interface IGpuBackend : IDisposable
{
    int DeviceCount { get; }

    IGpu Open(int index);

    /// <summary>The GPU's marketing name, e.g. <c>NVIDIA A40</c>.</summary>
    string GetName(int index);

    /// <summary>PCI address formatted <c>dddd:bb:dd.0</c>, lowercase.</summary>
    string GetPciAddress(int index);
}
