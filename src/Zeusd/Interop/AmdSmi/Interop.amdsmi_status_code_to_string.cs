using System.Runtime.InteropServices;

namespace Zeusd.Interop.AmdSmi;

internal static unsafe partial class AmdSmi
{
    /// <summary>A static description of <paramref name="status"/>; returns UNKNOWN_ERROR for a code the library does not know.</summary>
    [LibraryImport(LibraryName, EntryPoint = "amdsmi_status_code_to_string")]
    public static partial AmdSmiStatus StatusCodeToString(AmdSmiStatus status, byte** statusString);
}
