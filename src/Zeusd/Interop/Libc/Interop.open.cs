using System.Runtime.InteropServices;

namespace Zeusd.Interop.Libc;

internal static partial class Libc
{
    public const int ORdOnly = 0x0;
    public const int ODirectory = 0x10000;
    public const int ONoFollow = 0x20000;
    public const int OCloexec = 0x80000;

    /// <summary>open(2); used where .NET opens no handle (a directory, to fsync it).</summary>
    [LibraryImport(Name, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Open(string path, int flags);
}
