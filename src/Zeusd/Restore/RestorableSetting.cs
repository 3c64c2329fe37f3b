namespace Zeusd.Restore;

/// <summary>A GPU setting zeusd can change and put back.</summary>
public enum RestorableSetting
{
    PowerLimit,
    GpuLockedClocks,
    MemLockedClocks,
    PersistenceMode,
}
