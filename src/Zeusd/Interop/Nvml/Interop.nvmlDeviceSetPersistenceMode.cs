using System.Runtime.InteropServices;

namespace Zeusd.Interop.Nvml;

internal static unsafe partial class Nvml
{
    /// <summary>Keeps the driver loaded with no client (Linux only; needs root).</summary>
    [LibraryImport(LibraryName, EntryPoint = "nvmlDeviceSetPersistenceMode")]
    public static partial NvmlReturn DeviceSetPersistenceMode(NvmlDevice device, NvmlEnableState mode);
}
