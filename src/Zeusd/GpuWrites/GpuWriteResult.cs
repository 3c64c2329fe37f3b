using Zeusd.Devices;

namespace Zeusd.GpuWrites;

/// <summary>How a write ended: refused before anything was applied, failed on some GPUs, or done (or queued).</summary>
public readonly record struct GpuWriteResult(string? Denial, IReadOnlyList<DeviceError>? Errors)
{
    public static GpuWriteResult Success => default;

    public bool Succeeded => Denial is null && Errors is null;
}
