using System.Runtime.InteropServices;

namespace Zeusd.Interop.Libc;

/// <summary>A uid's account name, for logs and the owner of a changed setting.</summary>
internal static class UserNames
{
    /// <returns>The name, or null if the uid has no account (or on Windows).</returns>
    public static unsafe string? Of(uint uid)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }
        var buffer = new byte[4096];
        Libc.Passwd entry;
        Libc.Passwd* result = null;
        fixed (byte* b = buffer)
        {
            if (Libc.GetPasswordEntry(uid, &entry, b, (nuint)buffer.Length, &result) != 0 || result == null)
            {
                return null;
            }
            return Marshal.PtrToStringUTF8(entry.Name);
        }
    }
}
