using System.Runtime.InteropServices;

namespace Zeusd.Interop.Libc;

internal static partial class Libc
{
    /// <summary>The effective user id: what the kernel checks for privileged operations.</summary>
    [LibraryImport(Name, EntryPoint = "geteuid")]
    public static partial uint GetEffectiveUserId();
}
