using Zeusd.Configuration;

namespace Zeusd.Devices.Gpu.Nvml;

/// <summary>NVIDIA GPUs through NVML (<c>--gpu-backend nvml</c>).</summary>
public sealed class NvmlBackendProvider : IGpuBackendProvider
{
    public GpuBackendKind Kind => GpuBackendKind.Nvml;

    public string DisplayName => "NVML";

    public IGpuBackend? TryOpen(out string? error) => NvmlGpuBackend.TryProbe(out error);
}
