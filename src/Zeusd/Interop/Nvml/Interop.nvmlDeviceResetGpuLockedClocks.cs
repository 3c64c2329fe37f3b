using System.Runtime.InteropServices;

namespace Zeusd.Interop.Nvml;

internal static unsafe partial class Nvml
{
    /// <summary>Unlocks the graphics clock.</summary>
    [LibraryImport(LibraryName, EntryPoint = "nvmlDeviceResetGpuLockedClocks")]
    public static partial NvmlReturn DeviceResetGpuLockedClocks(NvmlDevice device);
}
