using System.Runtime.InteropServices;

namespace Zeusd.Interop.Nvml;

internal static unsafe partial class Nvml
{
    /// <summary>The product name, NUL-terminated, into a buffer of <paramref name="length"/> bytes.</summary>
    [LibraryImport(LibraryName, EntryPoint = "nvmlDeviceGetName")]
    public static partial NvmlReturn DeviceGetName(NvmlDevice device, byte* name, uint length);
}
