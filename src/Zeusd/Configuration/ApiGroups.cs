using System.Diagnostics.CodeAnalysis;

namespace Zeusd.Configuration;

/// <summary>Wire names of <see cref="ApiGroup"/> and the rules tied to them.</summary>
public static class ApiGroups
{
    public static readonly ApiGroup[] All = [ApiGroup.GpuControl, ApiGroup.GpuRead, ApiGroup.CpuRead];

    public static string WireName(this ApiGroup group) => group switch
    {
        ApiGroup.GpuControl => "gpu-control",
        ApiGroup.GpuRead => "gpu-read",
        ApiGroup.CpuRead => "cpu-read",
        _ => throw new ArgumentOutOfRangeException(nameof(group)),
    };

    public static bool TryParse(string? text, [NotNullWhen(true)] out ApiGroup? group)
    {
        group = text switch
        {
            "gpu-control" => ApiGroup.GpuControl,
            "gpu-read" => ApiGroup.GpuRead,
            "cpu-read" => ApiGroup.CpuRead,
            _ => null,
        };
        return group is not null;
    }

    /// <summary>Whether the group's operations need root on Linux (RAPL's energy_uj has been 0400 since CVE-2020-8694).</summary>
    public static bool RequiresRoot(this ApiGroup group) => group is ApiGroup.GpuControl or ApiGroup.CpuRead;

    /// <summary>The default <c>--enable</c> list of this platform, in the order <c>/discover</c> shows it.</summary>
    public static ApiGroup[] PlatformDefault() =>
        OperatingSystem.IsLinux() ? [ApiGroup.GpuControl, ApiGroup.GpuRead, ApiGroup.CpuRead] : [ApiGroup.GpuControl, ApiGroup.GpuRead];

    /// <summary>
    /// The group a path belongs to, by prefix, or null for paths outside every group (<c>/discover</c>, <c>/time</c>,
    /// <c>/auth/...</c>, unknown paths). Unknown <c>/gpu/xyz</c> paths still count as <c>gpu-read</c>.
    /// </summary>
    public static ApiGroup? OfPath(string path)
    {
        if (path.StartsWith("/gpu/", StringComparison.Ordinal))
        {
            return path.AsSpan(5).StartsWith("set_", StringComparison.Ordinal) || path.AsSpan(5).StartsWith("reset_", StringComparison.Ordinal)
                ? ApiGroup.GpuControl
                : ApiGroup.GpuRead;
        }
        return path.StartsWith("/cpu/", StringComparison.Ordinal) ? ApiGroup.CpuRead : null;
    }
}
