namespace Zeusd.Interop.AmdSmi;

/// <summary>The <c>amdsmi_dev_perf_level_t</c> value zeusd sets: AUTO undoes every clock limit.</summary>
internal enum AmdSmiPerformanceLevel : uint
{
    Auto = 0,
    Manual = 3,
}
