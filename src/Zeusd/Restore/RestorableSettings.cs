using System.Text.Json;
using Zeusd.Devices.Gpu;
using Zeusd.GpuWrites;

namespace Zeusd.Restore;

/// <summary>
/// What each <see cref="RestorableSetting"/> is called, which writes change it, how its current value is read and how
/// it is put back. A value is one number: milliwatts for the power limit, 1/0 for persistence mode; locked clocks have
/// no getter in NVML, so their original is always "unlocked" and putting them back is the reset call.
/// </summary>
public static class RestorableSettings
{
    private static readonly RestorableSetting[] PowerLimit = [RestorableSetting.PowerLimit];
    private static readonly RestorableSetting[] Persistence = [RestorableSetting.PersistenceMode];
    private static readonly RestorableSetting[] GpuClocks = [RestorableSetting.GpuLockedClocks];
    private static readonly RestorableSetting[] MemClocks = [RestorableSetting.MemLockedClocks];
    private static readonly RestorableSetting[] BothClocks = [RestorableSetting.GpuLockedClocks, RestorableSetting.MemLockedClocks];

    /// <summary>The setting's key in <c>/gpu/get_changed_settings</c>, the journal and logs.</summary>
    public static string WireName(this RestorableSetting setting) => setting switch
    {
        RestorableSetting.PowerLimit => "power_limit_mw",
        RestorableSetting.GpuLockedClocks => "gpu_locked_clocks",
        RestorableSetting.MemLockedClocks => "mem_locked_clocks",
        RestorableSetting.PersistenceMode => "persistence_mode",
        _ => throw new ArgumentOutOfRangeException(nameof(setting)),
    };

    public static bool TryParse(string name, out RestorableSetting setting)
    {
        foreach (var candidate in Enum.GetValues<RestorableSetting>())
        {
            if (candidate.WireName() == name)
            {
                setting = candidate;
                return true;
            }
        }
        setting = default;
        return false;
    }

    /// <summary>The settings a write changes (a reset of both clocks changes two).</summary>
    public static RestorableSetting[] ChangedBy(GpuWriteOperation operation) => operation switch
    {
        GpuWriteOperation.SetPowerLimit => PowerLimit,
        GpuWriteOperation.SetPersistenceMode => Persistence,
        GpuWriteOperation.SetGpuLockedClocks or GpuWriteOperation.ResetGpuLockedClocks => GpuClocks,
        GpuWriteOperation.SetMemLockedClocks or GpuWriteOperation.ResetMemLockedClocks => MemClocks,
        GpuWriteOperation.ResetLockedClocks => BothClocks,
        _ => [],
    };

    /// <summary>The setting's value now, through the backend (a driver failure throws its <c>DeviceException</c>).</summary>
    public static uint ReadCurrent(IGpu gpu, RestorableSetting setting) => setting switch
    {
        RestorableSetting.PowerLimit => gpu.GetPowerLimit(),
        RestorableSetting.PersistenceMode => gpu.GetPersistenceMode() ? 1u : 0u,
        _ => 0, // unlocked: no getter exists; the reset call is the way back
    };

    /// <summary>A value as logs show it.</summary>
    public static string Describe(RestorableSetting setting, uint value) => setting switch
    {
        RestorableSetting.PowerLimit => $"{value} mW",
        RestorableSetting.PersistenceMode => value != 0 ? "enabled" : "disabled",
        _ => "unlocked",
    };

    /// <summary>What a write leaves the setting at, as logs show it.</summary>
    public static string DescribeResult(GpuWriteOperation operation, GpuWriteValues values) => operation switch
    {
        GpuWriteOperation.SetPowerLimit => $"{values.PowerLimitMw} mW",
        GpuWriteOperation.SetPersistenceMode => values.Enabled ? "enabled" : "disabled",
        GpuWriteOperation.SetGpuLockedClocks or GpuWriteOperation.SetMemLockedClocks =>
            $"locked {values.MinClockMhz}-{values.MaxClockMhz} MHz",
        _ => "unlocked",
    };

    /// <summary>The write that puts <paramref name="original"/> back.</summary>
    public static (GpuWriteOperation Operation, GpuWriteValues Values) Undo(RestorableSetting setting, uint original) => setting switch
    {
        RestorableSetting.PowerLimit => (GpuWriteOperation.SetPowerLimit, GpuWriteValues.PowerLimit(original)),
        RestorableSetting.PersistenceMode => (GpuWriteOperation.SetPersistenceMode, GpuWriteValues.Persistence(original != 0)),
        RestorableSetting.GpuLockedClocks => (GpuWriteOperation.ResetGpuLockedClocks, GpuWriteValues.None),
        RestorableSetting.MemLockedClocks => (GpuWriteOperation.ResetMemLockedClocks, GpuWriteValues.None),
        _ => throw new ArgumentOutOfRangeException(nameof(setting)),
    };

    /// <summary>The original as <c>/gpu/get_changed_settings</c> shows it: milliwatts, a boolean, or <c>"unlocked"</c>.</summary>
    public static void WriteOriginal(Utf8JsonWriter writer, RestorableSetting setting, uint original)
    {
        switch (setting)
        {
            case RestorableSetting.PowerLimit: writer.WriteNumber("original"u8, original); break;
            case RestorableSetting.PersistenceMode: writer.WriteBoolean("original"u8, original != 0); break;
            default: writer.WriteString("original"u8, "unlocked"u8); break;
        }
    }
}
