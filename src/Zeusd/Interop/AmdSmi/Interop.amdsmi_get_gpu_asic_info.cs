using System.Runtime.InteropServices;

namespace Zeusd.Interop.AmdSmi;

internal static unsafe partial class AmdSmi
{
    /// <summary><c>amdsmi_asic_info_t</c> into a buffer of <see cref="AsicInfoBufferSize"/> bytes; zeusd reads only <c>market_name</c>.</summary>
    [LibraryImport(LibraryName, EntryPoint = "amdsmi_get_gpu_asic_info")]
    public static partial AmdSmiStatus GetGpuAsicInfo(nint processor, byte* info);
}
