using System.Runtime.InteropServices;

namespace Zeusd.Interop.Libc;

internal static partial class Libc
{
    [LibraryImport(Name, EntryPoint = "dlerror")]
    private static partial nint DlErrorPointer();

    /// <summary>The loader's text for the last failed <c>dlopen</c>/<c>dlsym</c> of this thread (and clears it).</summary>
    public static string DlError() => Marshal.PtrToStringUTF8(DlErrorPointer()) ?? "unknown dynamic loader error";
}
