using System.Runtime.InteropServices;

namespace Zeusd.Interop.Libc;

internal static partial class Libc
{
    public const int RtldLazy = 0x1;
    public const int RtldLocal = 0x0;

    /// <summary>
    /// The dynamic loader itself rather than <see cref="NativeLibrary.TryLoad(string, out nint)"/>, because a failed
    /// load must be reported with the loader's reason (<see cref="DlError"/>), which <see cref="NativeLibrary"/> drops.
    /// In libc.so.6 since glibc 2.34.
    /// </summary>
    [LibraryImport(Name, EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint DlOpen(string path, int flags);
}
