using System.Runtime.InteropServices;

namespace Zeusd.Interop.Libc;

internal static partial class Libc
{
    /// <summary>The address of <paramref name="symbol"/> in <paramref name="handle"/>, or 0 (then <see cref="DlError"/> says why).</summary>
    [LibraryImport(Name, EntryPoint = "dlsym", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint DlSym(nint handle, string symbol);
}
