using System.Runtime.InteropServices;

namespace Zeusd.Interop.AmdSmi;

internal static unsafe partial class AmdSmi
{
    /// <summary>Resolved so that a library lacking it is rejected, never called: the original daemon keeps the library initialized for the life of the process.</summary>
    [LibraryImport(LibraryName, EntryPoint = "amdsmi_shut_down")]
    public static partial AmdSmiStatus ShutDown();
}
