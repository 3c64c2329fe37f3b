using System.Runtime.InteropServices;

namespace Zeusd.Interop.AmdSmi;

internal static unsafe partial class AmdSmi
{
    /// <summary>Initializes the library for AMD GPUs (<see cref="InitAmdGpus"/>); SUCCESS again if already initialized.</summary>
    [LibraryImport(LibraryName, EntryPoint = "amdsmi_init")]
    public static partial AmdSmiStatus Init(ulong initFlags);
}
