using System.Runtime.InteropServices;

namespace Zeusd.Interop.AmdSmi;

internal static unsafe partial class AmdSmi
{
    /// <summary>The processors of one socket, with the same two-call protocol as <see cref="GetSocketHandles"/>.</summary>
    [LibraryImport(LibraryName, EntryPoint = "amdsmi_get_processor_handles")]
    public static partial AmdSmiStatus GetProcessorHandles(nint socket, uint* processorCount, nint* processorHandles);
}
