using System.Runtime.InteropServices;

namespace Zeusd.Interop.AmdSmi;

/// <summary><c>amdsmi_version_t</c> of ABI 26 (24 bytes, no year; <c>build</c> is ignored).</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
internal struct AmdSmiVersionAbi26
{
    [FieldOffset(0)] public uint Major;
    [FieldOffset(4)] public uint Minor;
    [FieldOffset(8)] public uint Release;
    [FieldOffset(16)] public nint Build;
}
