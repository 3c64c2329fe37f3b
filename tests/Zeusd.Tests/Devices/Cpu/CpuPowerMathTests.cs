using Zeusd.Devices.Cpu;

namespace Zeusd.Tests.Devices.Cpu;

public sealed class CpuPowerMathTests
{
    [Theory]
    [InlineData(0UL, 1_000_000UL, 1_000_000UL, 1_000U)]            // 1 J over 1 s
    [InlineData(5_000_000UL, 13_500_000UL, 100_000UL, 85_000U)]    // 8.5 J over the default 100 ms window
    [InlineData(40_000_000_000UL, 40_006_500_000UL, 100_250UL, 64_837U)] // measured window a bit longer than nominal
    public void Milliwatts_EnergyOverMeasuredTime_IsMicrojoulesTimes1000OverMicroseconds(
        ulong firstUj, ulong secondUj, ulong elapsedUs, uint expected)
    {
        Assert.Equal(expected, CpuPowerMath.Milliwatts(firstUj, secondUj, elapsedUs));
    }

    [Fact]
    public void Milliwatts_FractionalResult_IsTruncated()
    {
        Assert.Equal(333U, CpuPowerMath.Milliwatts(0, 1, 3));
        Assert.Equal(0U, CpuPowerMath.Milliwatts(0, 1, 1_001));
    }

    [Fact]
    public void Milliwatts_CounterWentBackwards_IsZero()
    {
        Assert.Equal(0U, CpuPowerMath.Milliwatts(1_000, 999, 100_000));
    }

    [Fact]
    public void Milliwatts_NoEnergy_IsZero()
    {
        Assert.Equal(0U, CpuPowerMath.Milliwatts(1_000, 1_000, 100_000));
    }

    [Fact]
    public void Milliwatts_ZeroElapsed_CountsAsOneMicrosecond()
    {
        Assert.Equal(7_000U, CpuPowerMath.Milliwatts(0, 7, 0));
    }

    [Fact]
    public void Milliwatts_BeyondUInt32_SaturatesInsteadOfOverflowing()
    {
        Assert.Equal(uint.MaxValue, CpuPowerMath.Milliwatts(0, ulong.MaxValue, 1));
    }
}
