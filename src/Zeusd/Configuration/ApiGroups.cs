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
}
