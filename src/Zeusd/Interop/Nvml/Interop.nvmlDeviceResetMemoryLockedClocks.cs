using System.Runtime.InteropServices;

namespace Zeusd.Interop.Nvml;

internal static unsafe partial class Nvml
{
    /// <summary>Unlocks the memory clock.</summary>
    [LibraryImport(LibraryName, EntryPoint = "nvmlDeviceResetMemoryLockedClocks")]
    public static partial NvmlReturn DeviceResetMemoryLockedClocks(NvmlDevice device);
}
