using System.Runtime.InteropServices;

namespace Zeusd.Interop.Libc;

internal static partial class Libc
{
    /// <summary>getgrnam_r(3): the group-database entry of a group name, through NSS; 0 and a null result when unknown.</summary>
    [LibraryImport(Name, EntryPoint = "getgrnam_r", StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial int GetGroupEntryByName(string name, out GroupEntry entry, byte* buffer, nuint length, out nint result);
}
