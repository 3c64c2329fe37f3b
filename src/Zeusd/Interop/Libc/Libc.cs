namespace Zeusd.Interop.Libc;

/// <summary>The C library's name for <see cref="System.Runtime.InteropServices.LibraryImportAttribute"/>.</summary>
internal static partial class Libc
{
    public const string Name = "libc";
}
