using System.Runtime.InteropServices;

namespace Zeusd.Interop.Nvml;

internal static unsafe partial class Nvml
{
    /// <summary>Fills <paramref name="count"/> field values whose ids and scopes the caller set.</summary>
    [LibraryImport(LibraryName, EntryPoint = "nvmlDeviceGetFieldValues")]
    public static partial NvmlReturn DeviceGetFieldValues(NvmlDevice device, int count, NvmlFieldValue* values);
}
