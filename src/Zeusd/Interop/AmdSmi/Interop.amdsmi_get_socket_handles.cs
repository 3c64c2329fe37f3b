using System.Runtime.InteropServices;

namespace Zeusd.Interop.AmdSmi;

internal static unsafe partial class AmdSmi
{
    /// <summary>Two calls: a null buffer gives the count in <paramref name="socketCount"/>; then at most that many handles, with the count set to how many were written.</summary>
    [LibraryImport(LibraryName, EntryPoint = "amdsmi_get_socket_handles")]
    public static partial AmdSmiStatus GetSocketHandles(uint* socketCount, nint* socketHandles);
}
