using System.Runtime.InteropServices;

namespace Zeusd.Interop.AmdSmi;

internal static unsafe partial class AmdSmi
{
    /// <summary>The energy accumulator, its resolution in µJ per count and a timestamp in ns.</summary>
    [LibraryImport(LibraryName, EntryPoint = "amdsmi_get_energy_count")]
    public static partial AmdSmiStatus GetEnergyCount(nint processor, ulong* energyAccumulator, float* counterResolution, ulong* timestamp);
}
