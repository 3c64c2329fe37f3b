namespace Zeusd.Configuration;

/// <summary><c>--gpu-backend</c>.</summary>
public enum GpuBackendKind
{
    /// <summary>NVML or AMD SMI, whichever finds GPUs (both: refuse to start), else no GPUs.</summary>
    Auto,
    /// <summary>NVML, or fail to start.</summary>
    Nvml,
    /// <summary>AMD SMI, or fail to start.</summary>
    AmdSmi,
}
