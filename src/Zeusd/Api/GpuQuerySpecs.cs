namespace Zeusd.Api;

/// <summary>The accepted query parameters of each GPU endpoint, in the original daemon's declaration order.</summary>
public static class GpuQuerySpecs
{
    private const bool Required = true;
    private static (string, QueryFieldKind, bool) GpuIds(bool required) => ("gpu_ids", QueryFieldKind.Text, required);
    private static readonly (string, QueryFieldKind, bool) Block = ("block", QueryFieldKind.Boolean, Required);

    public static readonly QuerySpec SetPersistenceMode = new(GpuIds(Required), ("enabled", QueryFieldKind.Boolean, Required), Block);
    public static readonly QuerySpec SetPowerLimit = new(GpuIds(Required), ("power_limit_mw", QueryFieldKind.UInt32, Required), Block);
    public static readonly QuerySpec SetLockedClocks = new(
        GpuIds(Required), ("min_clock_mhz", QueryFieldKind.UInt32, Required), ("max_clock_mhz", QueryFieldKind.UInt32, Required), Block);
    public static readonly QuerySpec Reset = new(GpuIds(Required), Block);

    /// <summary>Every read and stream endpoint: only an optional <c>gpu_ids</c>.</summary>
    public static readonly QuerySpec Read = new(GpuIds(required: false));
}
