using System.Runtime.InteropServices;

namespace Zeusd.Interop.Nvml;

internal static unsafe partial class Nvml
{
    /// <summary>Sets the power limit in milliwatts; NVML rejects values outside the constraints (needs root).</summary>
    [LibraryImport(LibraryName, EntryPoint = "nvmlDeviceSetPowerManagementLimit")]
    public static partial NvmlReturn DeviceSetPowerManagementLimit(NvmlDevice device, uint limitMilliwatts);
}
