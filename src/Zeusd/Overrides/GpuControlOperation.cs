namespace Zeusd.Overrides;

/// <summary>A GPU write that an overrides file can replace with commands; declared in the file's table order.</summary>
public enum GpuControlOperation
{
    SetPersistenceMode,
    SetPowerLimit,
    SetGpuLockedClocks,
    ResetGpuLockedClocks,
    SetMemLockedClocks,
    ResetMemLockedClocks,
    ResetLockedClocks,
}
