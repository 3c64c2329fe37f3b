using System.Runtime.InteropServices;

namespace Zeusd.Interop.Libc;

/// <summary><c>struct passwd</c>: pointers into the caller's buffer, valid only while that buffer lives.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PasswordEntry
{
    public nint Name;
    public nint Password;
    public uint Uid;
    public uint Gid;
    public nint Gecos;
    public nint Directory;
    public nint Shell;
}
