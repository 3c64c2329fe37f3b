using System.Runtime.InteropServices;

namespace Zeusd.Interop.AmdSmi;

internal static unsafe partial class AmdSmi
{
    /// <summary><c>amdsmi_version_t</c>, whose layout depends on the ABI, into a buffer of <see cref="VersionBufferSize"/> bytes. Only valid after init.</summary>
    [LibraryImport(LibraryName, EntryPoint = "amdsmi_get_lib_version")]
    public static partial AmdSmiStatus GetLibVersion(byte* version);
}
