namespace Zeusd.Interop.Libc;

/// <summary>The C library's name for <see cref="System.Runtime.InteropServices.LibraryImportAttribute"/>.</summary>
internal static partial class Libc
{
    /// <summary>
    /// glibc's soname (x64 and arm64 alike; the release targets are glibc). A bare "libc" made the runtime probe
    /// <c>libc.so</c>, <c>liblibc.so</c>, ... on the loader's path before it found the library: 1–2 ms of every
    /// start, and on a box with the dev package <c>libc.so</c> is a linker script dlopen rejects.
    /// </summary>
    public const string Name = "libc.so.6";
}
