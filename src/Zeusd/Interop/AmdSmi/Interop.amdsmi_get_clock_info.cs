using System.Runtime.InteropServices;

namespace Zeusd.Interop.AmdSmi;

internal static unsafe partial class AmdSmi
{
    /// <summary>Current clock and the min/max of the allowed range, in MHz.</summary>
    [LibraryImport(LibraryName, EntryPoint = "amdsmi_get_clock_info")]
    public static partial AmdSmiStatus GetClockInfo(nint processor, AmdSmiClockType clockType, AmdSmiClockInfo* info);
}
