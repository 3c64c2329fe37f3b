using System.Runtime.InteropServices;

namespace Zeusd.Interop.AmdSmi;

/// <summary><c>amdsmi_clk_info_t</c> (32 bytes, unchanged from ROCm 6.2 to 7.x). Clocks in MHz.</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
internal struct AmdSmiClockInfo
{
    [FieldOffset(0)] public uint Clock;
    [FieldOffset(4)] public uint MinClock;
    [FieldOffset(8)] public uint MaxClock;
    [FieldOffset(12)] public byte ClockLocked;
    [FieldOffset(13)] public byte ClockDeepSleep;
}
