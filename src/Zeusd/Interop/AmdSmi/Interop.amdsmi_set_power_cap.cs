using System.Runtime.InteropServices;

namespace Zeusd.Interop.AmdSmi;

internal static unsafe partial class AmdSmi
{
    /// <summary>Sets the power cap of one sensor, in µW.</summary>
    [LibraryImport(LibraryName, EntryPoint = "amdsmi_set_power_cap")]
    public static partial AmdSmiStatus SetPowerCap(nint processor, uint sensorIndex, ulong cap);
}
