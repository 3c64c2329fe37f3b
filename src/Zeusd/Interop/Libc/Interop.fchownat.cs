using System.Runtime.InteropServices;

namespace Zeusd.Interop.Libc;

internal static partial class Libc
{
    /// <summary>fchownat(2); <c>uint.MaxValue</c> (-1) leaves that id unchanged.</summary>
    [LibraryImport(Name, EntryPoint = "fchownat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int FChownAt(int dirFd, string path, uint owner, uint group, int flags);
}
