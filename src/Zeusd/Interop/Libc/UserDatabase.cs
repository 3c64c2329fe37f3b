using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Zeusd.Interop.Libc;

/// <summary>
/// User and group names through the C library's NSS lookups, not by parsing <c>/etc/passwd</c>: on clusters users and
/// groups often come from LDAP or SSSD, which only NSS sees.
/// </summary>
internal static unsafe class UserDatabase
{
    private const int InitialBuffer = 1024;
    private const int MaximumBuffer = 1 << 20;

    /// <summary>The uid of a user name, or null when no such user exists.</summary>
    public static uint? UidOf(string name) =>
        Lookup(name, static (string n, out PasswordEntry e, byte* b, nuint l, out nint r) => Libc.GetPasswordEntryByName(n, out e, b, l, out r),
            static e => (uint?)e.Uid);

    /// <summary>The name of a uid, or null when the uid has no entry.</summary>
    public static string? NameOf(uint uid) =>
        Lookup(uid, static (uint u, out PasswordEntry e, byte* b, nuint l, out nint r) => Libc.GetPasswordEntryByUid(u, out e, b, l, out r),
            static e => Marshal.PtrToStringUTF8(e.Name));

    /// <summary>The gid of a group name, or null when no such group exists.</summary>
    public static uint? GidOf(string name) =>
        Lookup(name, static (string n, out GroupEntry e, byte* b, nuint l, out nint r) => Libc.GetGroupEntryByName(n, out e, b, l, out r),
            static e => (uint?)e.Gid);

    private delegate int Getter<TKey, TEntry>(TKey key, out TEntry entry, byte* buffer, nuint length, out nint result);

    /// <summary>Calls a <c>get*_r</c> function, growing the buffer on ERANGE; the result is projected while the buffer lives.</summary>
    private static TResult? Lookup<TKey, TEntry, TResult>(TKey key, Getter<TKey, TEntry> get, Func<TEntry, TResult> project)
    {
        for (int size = InitialBuffer; ; size *= 2)
        {
            byte[] buffer = new byte[size];
            fixed (byte* p = buffer)
            {
                int error = get(key, out var entry, p, (nuint)size, out nint result);
                if (error == (int)Errno.ERANGE && size < MaximumBuffer)
                {
                    continue;
                }
                // "Not found" may also come back as one of these (getpwnam_r(3), depending on the NSS module).
                if ((Errno)error is Errno.EPERM or Errno.ENOENT or Errno.ESRCH or Errno.EBADF)
                {
                    return default;
                }
                if (error != 0)
                {
                    throw new IOException($"Cannot look up '{key}' in the user/group database: {new Win32Exception(error).Message}");
                }
                return result == 0 ? default : project(entry);
            }
        }
    }
}
