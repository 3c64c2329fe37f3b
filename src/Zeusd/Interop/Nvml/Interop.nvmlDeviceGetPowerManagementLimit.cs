using System.Runtime.InteropServices;

namespace Zeusd.Interop.Nvml;

internal static unsafe partial class Nvml
{
    /// <summary>The current power limit in milliwatts.</summary>
    [LibraryImport(LibraryName, EntryPoint = "nvmlDeviceGetPowerManagementLimit")]
    public static partial NvmlReturn DeviceGetPowerManagementLimit(NvmlDevice device, out uint limitMilliwatts);
}
