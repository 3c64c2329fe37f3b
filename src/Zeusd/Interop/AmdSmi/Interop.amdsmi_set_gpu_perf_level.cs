using System.Runtime.InteropServices;

namespace Zeusd.Interop.AmdSmi;

internal static unsafe partial class AmdSmi
{
    /// <summary>Sets the performance level; AUTO lifts every clock limit.</summary>
    [LibraryImport(LibraryName, EntryPoint = "amdsmi_set_gpu_perf_level")]
    public static partial AmdSmiStatus SetGpuPerfLevel(nint processor, AmdSmiPerformanceLevel level);
}
