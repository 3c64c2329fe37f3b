using System.Runtime.InteropServices;

namespace Zeusd.Interop.Nvml;

internal static unsafe partial class Nvml
{
    /// <summary>Whether persistence mode is on.</summary>
    [LibraryImport(LibraryName, EntryPoint = "nvmlDeviceGetPersistenceMode")]
    public static partial NvmlReturn DeviceGetPersistenceMode(NvmlDevice device, out NvmlEnableState mode);
}
