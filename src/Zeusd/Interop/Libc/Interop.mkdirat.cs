using System.Runtime.InteropServices;

namespace Zeusd.Interop.Libc;

internal static partial class Libc
{
    /// <summary>mkdirat(2): the mode is reduced by the umask.</summary>
    [LibraryImport(Name, EntryPoint = "mkdirat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int MkdirAt(int dirFd, string path, uint mode);
}
