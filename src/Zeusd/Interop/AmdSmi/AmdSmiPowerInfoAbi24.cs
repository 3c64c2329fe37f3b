using System.Runtime.InteropServices;

namespace Zeusd.Interop.AmdSmi;

/// <summary><c>amdsmi_power_info_t</c> of ABI 24 (ROCm 6.3, 68 bytes): the fields zeusd reads. Power in W.</summary>
[StructLayout(LayoutKind.Explicit, Size = 68)]
internal struct AmdSmiPowerInfoAbi24
{
    [FieldOffset(0)] public uint CurrentSocketPower;
    [FieldOffset(4)] public uint AverageSocketPower;
    [FieldOffset(20)] public uint PowerLimit;
}
