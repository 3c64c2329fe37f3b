using System.Runtime.InteropServices;

namespace Zeusd.Interop.AmdSmi;

/// <summary>
/// <c>amdsmi_power_info_t</c> of ABI 26 (ROCm 7.x, 192 bytes; the voltages became 64-bit): the fields zeusd reads.
/// Power in W.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 192)]
internal struct AmdSmiPowerInfoAbi26
{
    [FieldOffset(0)] public ulong SocketPower;
    [FieldOffset(8)] public uint CurrentSocketPower;
    [FieldOffset(12)] public uint AverageSocketPower;
    [FieldOffset(40)] public uint PowerLimit;
}
