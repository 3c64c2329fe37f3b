using System.Runtime.InteropServices;

namespace Zeusd.Interop.Nvml;

internal static unsafe partial class Nvml
{
    /// <summary>PCI domain, bus and device of the GPU.</summary>
    [LibraryImport(LibraryName, EntryPoint = "nvmlDeviceGetPciInfo_v3")]
    public static partial NvmlReturn DeviceGetPciInfo(NvmlDevice device, out NvmlPciInfo pci);
}
