using System.Runtime.InteropServices;

namespace Zeusd.Interop.Libc;

internal static partial class Libc
{
    /// <summary>getpwnam_r(3): the password-database entry of a user name (see <see cref="GetPasswordEntryByUid"/>).</summary>
    [LibraryImport(Name, EntryPoint = "getpwnam_r", StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial int GetPasswordEntryByName(string name, out PasswordEntry entry, byte* buffer, nuint length, out nint result);
}
