using System.Runtime.InteropServices;

namespace Zeusd.Interop.AmdSmi;

internal static unsafe partial class AmdSmi
{
    /// <summary>Sets one end of a clock range (MHz). The library switches the GPU to the MANUAL performance level first, and the kernel rejects a range whose min exceeds its max, so the order of the two writes matters.</summary>
    [LibraryImport(LibraryName, EntryPoint = "amdsmi_set_gpu_clk_limit")]
    public static partial AmdSmiStatus SetGpuClockLimit(nint processor, AmdSmiClockType clockType, AmdSmiClockLimit limitType, ulong clockValue);
}
