using System.Runtime.InteropServices;

namespace Zeusd.Interop.AmdSmi;

internal static unsafe partial class AmdSmi
{
    /// <summary>Power cap, default, range (µW) and DPM cap of one sensor.</summary>
    [LibraryImport(LibraryName, EntryPoint = "amdsmi_get_power_cap_info")]
    public static partial AmdSmiStatus GetPowerCapInfo(nint processor, uint sensorIndex, AmdSmiPowerCapInfo* info);
}
