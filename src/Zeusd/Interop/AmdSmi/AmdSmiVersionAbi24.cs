using System.Runtime.InteropServices;

namespace Zeusd.Interop.AmdSmi;

/// <summary><c>amdsmi_version_t</c> of ABI 24 and 25 (24 bytes, with the year first; <c>build</c> is ignored).</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
internal struct AmdSmiVersionAbi24
{
    [FieldOffset(0)] public uint Year;
    [FieldOffset(4)] public uint Major;
    [FieldOffset(8)] public uint Minor;
    [FieldOffset(12)] public uint Release;
    [FieldOffset(16)] public nint Build;
}
