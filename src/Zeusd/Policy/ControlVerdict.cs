namespace Zeusd.Policy;

/// <summary>
/// The decision on one gpu-control request: allowed (with the grants that allowed it, for the audit line) or denied
/// (with the 403 text).
/// </summary>
public readonly record struct ControlVerdict(string? Denial, string Grants)
{
    public bool IsAllowed => Denial is null;

    public static ControlVerdict Allow(string grants) => new(null, grants);

    public static ControlVerdict Deny(string denial) => new(denial, "-");
}
