namespace Zeusd.Configuration;

/// <summary><c>--gpu-backend</c>.</summary>
public enum GpuBackendKind
{
    /// <summary>Every built-in backend is probed; the one that reports GPUs is used, else no GPUs.</summary>
    Auto,
    /// <summary>NVML, or fail to start.</summary>
    Nvml,
    /// <summary>AMD SMI, or fail to start.</summary>
    AmdSmi,
}
