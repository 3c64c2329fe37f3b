using System.Runtime.InteropServices;

namespace Zeusd.Interop.AmdSmi;

internal static unsafe partial class AmdSmi
{
    /// <summary><c>amdsmi_power_info_t</c>, whose layout depends on the ABI, into a buffer of <see cref="PowerInfoBufferSize"/> bytes.</summary>
    [LibraryImport(LibraryName, EntryPoint = "amdsmi_get_power_info")]
    public static partial AmdSmiStatus GetPowerInfo(nint processor, byte* info);
}
