using System.Runtime.InteropServices;

namespace Zeusd.Interop.Libc;

internal static partial class Libc
{
    /// <summary>Changes owner and group; <c>uint.MaxValue</c> (-1) leaves that id unchanged.</summary>
    [LibraryImport(Name, EntryPoint = "chown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Chown(string path, uint owner, uint group);
}
