namespace Zeusd.GpuWrites;

/// <summary>Every change zeusd can make to a GPU, whatever front end asked for it.</summary>
public enum GpuWriteOperation
{
    SetPersistenceMode,
    SetPowerLimit,
    SetGpuLockedClocks,
    ResetGpuLockedClocks,
    SetMemLockedClocks,
    ResetMemLockedClocks,
    ResetLockedClocks,
}
