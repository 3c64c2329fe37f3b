namespace Zeusd.Configuration;

/// <summary>A group of endpoints that is enabled as a whole with <c>--enable</c> and granted as a whole by a token scope.</summary>
public enum ApiGroup
{
    GpuControl,
    GpuRead,
    CpuRead,
}
