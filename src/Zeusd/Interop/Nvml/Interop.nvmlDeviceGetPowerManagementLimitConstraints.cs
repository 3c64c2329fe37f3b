using System.Runtime.InteropServices;

namespace Zeusd.Interop.Nvml;

internal static unsafe partial class Nvml
{
    /// <summary>The range the power limit may be set to, in milliwatts.</summary>
    [LibraryImport(LibraryName, EntryPoint = "nvmlDeviceGetPowerManagementLimitConstraints")]
    public static partial NvmlReturn DeviceGetPowerManagementLimitConstraints(NvmlDevice device, out uint minMilliwatts, out uint maxMilliwatts);
}
