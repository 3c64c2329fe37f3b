using System.Runtime.InteropServices;

namespace Zeusd.Interop.AmdSmi;

/// <summary><c>amdsmi_power_info_t</c> of ABI 25 (ROCm 6.4, 40 bytes): the fields zeusd reads. Power in W.</summary>
[StructLayout(LayoutKind.Explicit, Size = 40)]
internal struct AmdSmiPowerInfoAbi25
{
    [FieldOffset(0)] public ulong SocketPower;
    [FieldOffset(8)] public uint CurrentSocketPower;
    [FieldOffset(12)] public uint AverageSocketPower;
    [FieldOffset(28)] public uint PowerLimit;
}
