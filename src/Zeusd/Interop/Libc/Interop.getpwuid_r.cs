using System.Runtime.InteropServices;

namespace Zeusd.Interop.Libc;

internal static partial class Libc
{
    /// <summary>
    /// getpwuid_r(3): the password-database entry of a uid, through NSS (so LDAP/SSSD users of a cluster resolve too).
    /// Returns 0 and a null <paramref name="result"/> when there is no such user; ERANGE when the buffer is too small.
    /// </summary>
    [LibraryImport(Name, EntryPoint = "getpwuid_r")]
    public static unsafe partial int GetPasswordEntryByUid(uint uid, out PasswordEntry entry, byte* buffer, nuint length, out nint result);
}
