using System.Runtime.InteropServices;

namespace Zeusd.Interop.Nvml;

internal static unsafe partial class Nvml
{
    /// <summary>Locks the memory clock into [min, max] MHz (needs root).</summary>
    [LibraryImport(LibraryName, EntryPoint = "nvmlDeviceSetMemoryLockedClocks")]
    public static partial NvmlReturn DeviceSetMemoryLockedClocks(NvmlDevice device, uint minMhz, uint maxMhz);
}
