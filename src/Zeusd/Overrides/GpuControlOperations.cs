namespace Zeusd.Overrides;

/// <summary>Table names and allowed placeholders of each <see cref="GpuControlOperation"/>.</summary>
public static class GpuControlOperations
{
    /// <summary>Every operation, in declaration order (the order of the startup log and of "expected one of").</summary>
    public static readonly GpuControlOperation[] All =
    [
        GpuControlOperation.SetPersistenceMode,
        GpuControlOperation.SetPowerLimit,
        GpuControlOperation.SetGpuLockedClocks,
        GpuControlOperation.ResetGpuLockedClocks,
        GpuControlOperation.SetMemLockedClocks,
        GpuControlOperation.ResetMemLockedClocks,
        GpuControlOperation.ResetLockedClocks,
    ];

    public static readonly string[] TableNames = [.. All.Select(TableName)];

    /// <summary>The operation's top-level table in the overrides file (also the route's last path segment).</summary>
    public static string TableName(this GpuControlOperation operation) => operation switch
    {
        GpuControlOperation.SetPersistenceMode => "set_persistence_mode",
        GpuControlOperation.SetPowerLimit => "set_power_limit",
        GpuControlOperation.SetGpuLockedClocks => "set_gpu_locked_clocks",
        GpuControlOperation.ResetGpuLockedClocks => "reset_gpu_locked_clocks",
        GpuControlOperation.SetMemLockedClocks => "set_mem_locked_clocks",
        GpuControlOperation.ResetMemLockedClocks => "reset_mem_locked_clocks",
        GpuControlOperation.ResetLockedClocks => "reset_locked_clocks",
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };

    /// <summary>Placeholder names the operation's commands may use.</summary>
    public static IReadOnlyList<string> AllowedPlaceholders(this GpuControlOperation operation) => operation switch
    {
        GpuControlOperation.SetPersistenceMode => ["gpu_id", "enabled"],
        GpuControlOperation.SetPowerLimit => ["gpu_id", "power_limit_mw", "power_limit_w"],
        GpuControlOperation.SetGpuLockedClocks or GpuControlOperation.SetMemLockedClocks => ["gpu_id", "min_clock_mhz", "max_clock_mhz"],
        _ => ["gpu_id"],
    };
}
