namespace Zeusd.Api;

/// <summary>The accepted query parameters of each CPU endpoint, in the original daemon's declaration order.</summary>
public static class CpuQuerySpecs
{
    private static readonly (string, QueryFieldKind, bool) CpuIds = ("cpu_ids", QueryFieldKind.Text, false);

    public static readonly QuerySpec GetCumulativeEnergy = new(
        CpuIds, ("cpu", QueryFieldKind.Boolean, true), ("dram", QueryFieldKind.Boolean, true));

    /// <summary><c>get_power</c> and <c>stream_power</c>: only an optional <c>cpu_ids</c>.</summary>
    public static readonly QuerySpec Read = new(CpuIds);
}
