using System.Runtime.InteropServices;

namespace Zeusd.Interop.Nvml;

internal static unsafe partial class Nvml
{
    /// <summary>Takes one reference on NVML's initialization (refcounted; see <see cref="NvmlInitHandle"/>).</summary>
    [LibraryImport(LibraryName, EntryPoint = "nvmlInit_v2")]
    public static partial NvmlReturn Init();
}
