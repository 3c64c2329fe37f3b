using Zeusd.Configuration;

namespace Zeusd.Policy;

/// <summary>One line per grant, for <c>zeusd policy check</c> and the startup log: name, who, scopes, GPUs, bounds.</summary>
public static class GrantSummary
{
    public static string Of(Grant grant)
    {
        string scopes = string.Join(",", grant.Scopes.Select(s => s.WireName()));
        string line = $"{grant.Name}: who={grant.Who}; scopes={scopes}";
        if (!grant.HasScope(ApiGroup.GpuControl))
        {
            return line;
        }
        var bounds = new List<string>();
        if (grant.PowerLimitMw is { } power)
        {
            bounds.Add($"power_limit_mw {power}");
        }
        if (grant.GpuLockedClocksMhz is { } gpuClocks)
        {
            bounds.Add($"gpu_locked_clocks_mhz {gpuClocks}");
        }
        if (grant.MemLockedClocksMhz is { } memClocks)
        {
            bounds.Add($"mem_locked_clocks_mhz {memClocks}");
        }
        if (!grant.PersistenceMode)
        {
            bounds.Add("persistence_mode false");
        }
        string gpus = grant.Gpus is null ? "all" : string.Join(",", grant.Gpus);
        return $"{line}; gpus={gpus}; bounds={(bounds.Count == 0 ? "none" : string.Join(", ", bounds))}";
    }
}
