using System.Runtime.InteropServices;

namespace Zeusd.Interop.AmdSmi;

/// <summary><c>amdsmi_power_cap_info_t</c> (64 bytes, the same in ABI 24, 25 and 26). Caps are in µW.</summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
internal struct AmdSmiPowerCapInfo
{
    [FieldOffset(0)] public ulong PowerCap;
    [FieldOffset(8)] public ulong DefaultPowerCap;
    /// <summary>MHz.</summary>
    [FieldOffset(16)] public ulong DpmCap;
    [FieldOffset(24)] public ulong MinPowerCap;
    [FieldOffset(32)] public ulong MaxPowerCap;
}
