using System.Runtime.InteropServices;

namespace Zeusd.Interop.Libc;

internal static partial class Libc
{
    /// <summary>The start of <c>struct passwd</c>: the name is its first member on every Linux libc.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Passwd
    {
        public nint Name;
        public nint Password;
        public uint Uid;
        public uint Gid;
        public nint Gecos;
        public nint Directory;
        public nint Shell;
    }

    /// <summary>getpwuid_r(3): the account of a uid, through NSS (thread-safe, caller's buffer).</summary>
    [LibraryImport(Name, EntryPoint = "getpwuid_r")]
    public static unsafe partial int GetPasswordEntry(uint uid, Passwd* entry, byte* buffer, nuint size, Passwd** result);
}
