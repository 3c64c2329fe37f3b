using Zeusd.GpuWrites;

namespace Zeusd.Overrides;

/// <summary>How each <see cref="GpuWriteOperation"/> appears in an overrides file: its table and its placeholders.</summary>
public static class OverrideOperations
{
    /// <summary>Every table name, in declaration order (the order of the startup log and of "expected one of").</summary>
    public static readonly string[] TableNames = [.. GpuWriteOperations.All.Select(o => o.WireName())];

    /// <summary>Placeholder names the operation's commands may use.</summary>
    public static IReadOnlyList<string> AllowedPlaceholders(this GpuWriteOperation operation) => operation switch
    {
        GpuWriteOperation.SetPersistenceMode => ["gpu_id", "enabled"],
        GpuWriteOperation.SetPowerLimit => ["gpu_id", "power_limit_mw", "power_limit_w"],
        GpuWriteOperation.SetGpuLockedClocks or GpuWriteOperation.SetMemLockedClocks => ["gpu_id", "min_clock_mhz", "max_clock_mhz"],
        _ => ["gpu_id"],
    };
}
