namespace Zeusd.Configuration;

/// <summary><c>--gpu-backend</c>.</summary>
public enum GpuBackendKind
{
    /// <summary>NVML if it loads and finds GPUs, else no GPUs.</summary>
    Auto,
    /// <summary>NVML, or fail to start.</summary>
    Nvml,
    /// <summary>AMD SMI (not built into this daemon).</summary>
    AmdSmi,
}
