using System.Runtime.InteropServices;

namespace Zeusd.Interop.AmdSmi;

internal static unsafe partial class AmdSmi
{
    /// <summary>The PCI address as the <c>amdsmi_bdf_t</c> union (<see cref="AmdSmiBdf"/>).</summary>
    [LibraryImport(LibraryName, EntryPoint = "amdsmi_get_gpu_device_bdf")]
    public static partial AmdSmiStatus GetGpuDeviceBdf(nint processor, ulong* bdf);
}
