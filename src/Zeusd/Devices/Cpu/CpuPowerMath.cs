namespace Zeusd.Devices.Cpu;

/// <summary>Power from two RAPL energy readings, shared by <c>/cpu/get_power</c> and the CPU power streams.</summary>
public static class CpuPowerMath
{
    /// <summary>Power in mW from two µJ readings: a counter that went backwards counts as zero, truncated to u32.</summary>
    public static uint Milliwatts(ulong firstUj, ulong secondUj, ulong elapsedUs)
    {
        ulong delta = secondUj > firstUj ? secondUj - firstUj : 0;
        UInt128 mw = (UInt128)delta * 1000 / Math.Max(1UL, elapsedUs);
        return mw >= uint.MaxValue ? uint.MaxValue : (uint)mw;
    }
}
