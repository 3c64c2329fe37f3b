using System.Text.RegularExpressions;
using Zeusd.GpuWrites;

namespace Zeusd.Overrides;

/// <summary>
/// One operation's validated override: its commands already split into argument templates, the optional error
/// pattern (with its source text for messages) and the per-command timeout in seconds (at least 1).
/// </summary>
public sealed record OverrideSpec(
    GpuWriteOperation Operation,
    IReadOnlyList<string[]> Commands,
    Regex? ErrorPattern,
    string? ErrorPatternText,
    ulong TimeoutSeconds)
{
    public const ulong DefaultTimeoutSeconds = 60;

    /// <summary>The timeout as a wait bound; beyond what a wait accepts (about 24 days) it is the longest wait.</summary>
    public TimeSpan Timeout => TimeoutSeconds >= int.MaxValue / 1000
        ? TimeSpan.FromMilliseconds(int.MaxValue)
        : TimeSpan.FromSeconds(TimeoutSeconds);
}
