using System.Runtime.InteropServices;

namespace Zeusd.Interop.Libc;

/// <summary><c>struct group</c>: pointers into the caller's buffer, valid only while that buffer lives.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GroupEntry
{
    public nint Name;
    public nint Password;
    public uint Gid;
    public nint Members;
}
