using System.Runtime.InteropServices;

namespace Zeusd.Interop.Nvml;

internal static unsafe partial class Nvml
{
    /// <summary>Locks the graphics clock into [min, max] MHz (needs root).</summary>
    [LibraryImport(LibraryName, EntryPoint = "nvmlDeviceSetGpuLockedClocks")]
    public static partial NvmlReturn DeviceSetGpuLockedClocks(NvmlDevice device, uint minMhz, uint maxMhz);
}
