using Zeusd.Devices.Gpu;
using Zeusd.Policy;

namespace Zeusd.GpuWrites;

/// <summary>What each <see cref="GpuWriteOperation"/> is called and does.</summary>
public static class GpuWriteOperations
{
    public static readonly GpuWriteOperation[] All = Enum.GetValues<GpuWriteOperation>();

    /// <summary>The operation's name in routes, logs and override files (<c>set_power_limit</c>, ...).</summary>
    public static string WireName(this GpuWriteOperation operation) => operation switch
    {
        GpuWriteOperation.SetPersistenceMode => "set_persistence_mode",
        GpuWriteOperation.SetPowerLimit => "set_power_limit",
        GpuWriteOperation.SetGpuLockedClocks => "set_gpu_locked_clocks",
        GpuWriteOperation.ResetGpuLockedClocks => "reset_gpu_locked_clocks",
        GpuWriteOperation.SetMemLockedClocks => "set_mem_locked_clocks",
        GpuWriteOperation.ResetMemLockedClocks => "reset_mem_locked_clocks",
        GpuWriteOperation.ResetLockedClocks => "reset_locked_clocks",
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };

    /// <summary>Whether the operation undoes a setting rather than choosing a value.</summary>
    public static bool IsReset(this GpuWriteOperation operation) =>
        operation is GpuWriteOperation.ResetGpuLockedClocks or GpuWriteOperation.ResetMemLockedClocks or GpuWriteOperation.ResetLockedClocks;

    /// <summary>The operation's values as the policy bounds them and the audit log shows them.</summary>
    public static ControlValues ControlValuesOf(this GpuWriteOperation operation, GpuWriteValues values) => new(operation switch
    {
        GpuWriteOperation.SetPowerLimit => ControlKind.PowerLimit,
        GpuWriteOperation.SetGpuLockedClocks => ControlKind.GpuLockedClocks,
        GpuWriteOperation.SetMemLockedClocks => ControlKind.MemLockedClocks,
        GpuWriteOperation.SetPersistenceMode => ControlKind.PersistenceMode,
        _ => ControlKind.Reset,
    }, values.First, values.Second);

    /// <summary>Performs the operation on one GPU; a failure throws the device's <c>DeviceException</c>.</summary>
    public static void Apply(IGpu gpu, GpuWriteOperation operation, GpuWriteValues values)
    {
        switch (operation)
        {
            case GpuWriteOperation.SetPersistenceMode: gpu.SetPersistenceMode(values.Enabled); break;
            case GpuWriteOperation.SetPowerLimit: gpu.SetPowerLimit(values.PowerLimitMw); break;
            case GpuWriteOperation.SetGpuLockedClocks: gpu.SetGpuLockedClocks(values.MinClockMhz, values.MaxClockMhz); break;
            case GpuWriteOperation.ResetGpuLockedClocks: gpu.ResetGpuLockedClocks(); break;
            case GpuWriteOperation.SetMemLockedClocks: gpu.SetMemoryLockedClocks(values.MinClockMhz, values.MaxClockMhz); break;
            case GpuWriteOperation.ResetMemLockedClocks: gpu.ResetMemoryLockedClocks(); break;
            case GpuWriteOperation.ResetLockedClocks: gpu.ResetLockedClocks(); break;
            default: throw new ArgumentOutOfRangeException(nameof(operation));
        }
    }
}
