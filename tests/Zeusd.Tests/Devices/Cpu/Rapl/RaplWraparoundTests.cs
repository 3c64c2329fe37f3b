using Zeusd.Devices.Cpu.Rapl;

namespace Zeusd.Tests.Devices.Cpu.Rapl;

public sealed class RaplWraparoundTests
{
    [Fact]
    public void Unwrap_FirstReading_IsTheRawValue()
    {
        var counter = new RaplWraparound(1_000);

        Assert.Equal(900UL, counter.Unwrap(900));
        Assert.Equal(0UL, counter.Wraps);
    }

    [Fact]
    public void Unwrap_RisingReadings_AreReturnedUnchanged()
    {
        var counter = new RaplWraparound(1_000);

        Assert.Equal(10UL, counter.Unwrap(10));
        Assert.Equal(10UL, counter.Unwrap(10));
        Assert.Equal(999UL, counter.Unwrap(999));
    }

    [Fact]
    public void Unwrap_ReadingBelowThePrevious_AddsOneRange()
    {
        var counter = new RaplWraparound(1_000);
        counter.Unwrap(900);

        Assert.Equal(1_100UL, counter.Unwrap(100));
        Assert.Equal(1_150UL, counter.Unwrap(150));
        Assert.Equal(1UL, counter.Wraps);
    }

    [Fact]
    public void Unwrap_SeveralWraps_AddsOneRangePerWrap()
    {
        var counter = new RaplWraparound(1_000);

        ulong[] raw = [900, 100, 800, 50, 700, 10, 20];
        ulong[] unwrapped = [.. raw.Select(counter.Unwrap)];

        Assert.Equal([900UL, 1_100, 1_800, 2_050, 2_700, 3_010, 3_020], unwrapped);
        Assert.Equal(3UL, counter.Wraps);
    }

    [Fact]
    public void Unwrap_WrapToZero_AddsTheRangeNotRangePlusOne()
    {
        // The kernel's counter really wraps at range + 1, but the original daemon adds the range; clients compare.
        var counter = new RaplWraparound(262_143_328_850);
        counter.Unwrap(262_143_328_850);

        Assert.Equal(262_143_328_850UL, counter.Unwrap(0));
    }

    [Fact]
    public void Unwrap_TwoCounters_WrapIndependently()
    {
        var package = new RaplWraparound(1_000);
        var dram = new RaplWraparound(500);
        package.Unwrap(900);
        dram.Unwrap(100);

        Assert.Equal(1_050UL, package.Unwrap(50));
        Assert.Equal(200UL, dram.Unwrap(200));
        Assert.Equal(1_060UL, package.Unwrap(60));
        Assert.Equal(510UL, dram.Unwrap(10));
        Assert.Equal(1UL, package.Wraps);
        Assert.Equal(1UL, dram.Wraps);
    }
}
