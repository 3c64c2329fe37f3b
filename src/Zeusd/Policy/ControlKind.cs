namespace Zeusd.Policy;

/// <summary>What a gpu-control request changes, as far as a grant's bounds are concerned.</summary>
public enum ControlKind
{
    /// <summary>Value: the limit in mW, checked against <c>power_limit_mw</c>.</summary>
    PowerLimit,
    /// <summary>Values: min and max MHz, both checked against <c>gpu_locked_clocks_mhz</c>.</summary>
    GpuLockedClocks,
    /// <summary>Values: min and max MHz, both checked against <c>mem_locked_clocks_mhz</c>.</summary>
    MemLockedClocks,
    /// <summary>Needs <c>persistence_mode = true</c> (the default) in a covering grant.</summary>
    PersistenceMode,
    /// <summary>Any reset: allowed wherever a grant covers the GPU.</summary>
    Reset,
}
