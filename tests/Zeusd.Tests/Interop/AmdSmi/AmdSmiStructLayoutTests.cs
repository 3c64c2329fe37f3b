using System.Runtime.InteropServices;
using Zeusd.Interop.AmdSmi;

namespace Zeusd.Tests.Interop.AmdSmi;

/// <summary>
/// The managed structs must match amdsmi.h of each ABI byte for byte (spec §2.3): a wrong offset reads another field,
/// a struct too small lets the library write past it.
/// </summary>
public sealed class AmdSmiStructLayoutTests
{
    [Fact]
    public void PowerInfo_EachAbi_SizeAndSocketPowerOffsets()
    {
        Assert.Equal(68, Marshal.SizeOf<AmdSmiPowerInfoAbi24>());
        Assert.Equal(0, (int)Marshal.OffsetOf<AmdSmiPowerInfoAbi24>(nameof(AmdSmiPowerInfoAbi24.CurrentSocketPower)));
        Assert.Equal(4, (int)Marshal.OffsetOf<AmdSmiPowerInfoAbi24>(nameof(AmdSmiPowerInfoAbi24.AverageSocketPower)));
        Assert.Equal(20, (int)Marshal.OffsetOf<AmdSmiPowerInfoAbi24>(nameof(AmdSmiPowerInfoAbi24.PowerLimit)));

        Assert.Equal(40, Marshal.SizeOf<AmdSmiPowerInfoAbi25>());
        Assert.Equal(8, (int)Marshal.OffsetOf<AmdSmiPowerInfoAbi25>(nameof(AmdSmiPowerInfoAbi25.CurrentSocketPower)));
        Assert.Equal(12, (int)Marshal.OffsetOf<AmdSmiPowerInfoAbi25>(nameof(AmdSmiPowerInfoAbi25.AverageSocketPower)));
        Assert.Equal(28, (int)Marshal.OffsetOf<AmdSmiPowerInfoAbi25>(nameof(AmdSmiPowerInfoAbi25.PowerLimit)));

        Assert.Equal(192, Marshal.SizeOf<AmdSmiPowerInfoAbi26>());
        Assert.Equal(8, (int)Marshal.OffsetOf<AmdSmiPowerInfoAbi26>(nameof(AmdSmiPowerInfoAbi26.CurrentSocketPower)));
        Assert.Equal(12, (int)Marshal.OffsetOf<AmdSmiPowerInfoAbi26>(nameof(AmdSmiPowerInfoAbi26.AverageSocketPower)));
        Assert.Equal(40, (int)Marshal.OffsetOf<AmdSmiPowerInfoAbi26>(nameof(AmdSmiPowerInfoAbi26.PowerLimit)));
    }

    [Fact]
    public void PowerInfoBuffer_LargerThanEveryAbisStruct()
    {
        Assert.True(Zeusd.Interop.AmdSmi.AmdSmi.PowerInfoBufferSize >= 192);
        Assert.True(Zeusd.Interop.AmdSmi.AmdSmi.AsicInfoBufferSize >= 896);
        Assert.True(Zeusd.Interop.AmdSmi.AmdSmi.VersionBufferSize >= 24);
    }

    [Fact]
    public void Version_YearFirstInAbi24And25_NoYearInAbi26()
    {
        Assert.Equal(24, Marshal.SizeOf<AmdSmiVersionAbi24>());
        Assert.Equal(4, (int)Marshal.OffsetOf<AmdSmiVersionAbi24>(nameof(AmdSmiVersionAbi24.Major)));
        Assert.Equal(12, (int)Marshal.OffsetOf<AmdSmiVersionAbi24>(nameof(AmdSmiVersionAbi24.Release)));
        Assert.Equal(16, (int)Marshal.OffsetOf<AmdSmiVersionAbi24>(nameof(AmdSmiVersionAbi24.Build)));
        Assert.Equal(24, Marshal.SizeOf<AmdSmiVersionAbi26>());
        Assert.Equal(0, (int)Marshal.OffsetOf<AmdSmiVersionAbi26>(nameof(AmdSmiVersionAbi26.Major)));
        Assert.Equal(8, (int)Marshal.OffsetOf<AmdSmiVersionAbi26>(nameof(AmdSmiVersionAbi26.Release)));
        Assert.Equal(16, (int)Marshal.OffsetOf<AmdSmiVersionAbi26>(nameof(AmdSmiVersionAbi26.Build)));
    }

    [Fact]
    public void PowerCapAndClockInfo_SameInEveryAbi()
    {
        Assert.Equal(64, Marshal.SizeOf<AmdSmiPowerCapInfo>());
        Assert.Equal(8, (int)Marshal.OffsetOf<AmdSmiPowerCapInfo>(nameof(AmdSmiPowerCapInfo.DefaultPowerCap)));
        Assert.Equal(24, (int)Marshal.OffsetOf<AmdSmiPowerCapInfo>(nameof(AmdSmiPowerCapInfo.MinPowerCap)));
        Assert.Equal(32, (int)Marshal.OffsetOf<AmdSmiPowerCapInfo>(nameof(AmdSmiPowerCapInfo.MaxPowerCap)));
        Assert.Equal(32, Marshal.SizeOf<AmdSmiClockInfo>());
        Assert.Equal(4, (int)Marshal.OffsetOf<AmdSmiClockInfo>(nameof(AmdSmiClockInfo.MinClock)));
        Assert.Equal(8, (int)Marshal.OffsetOf<AmdSmiClockInfo>(nameof(AmdSmiClockInfo.MaxClock)));
        Assert.Equal(12, (int)Marshal.OffsetOf<AmdSmiClockInfo>(nameof(AmdSmiClockInfo.ClockLocked)));
    }

    [Fact]
    public void DecodePowerInfo_EachAbi_ReadsItsOwnOffsets()
    {
        var buffer = new byte[Zeusd.Interop.AmdSmi.AmdSmi.PowerInfoBufferSize];
        BitConverter.TryWriteBytes(buffer.AsSpan(0), 11u);
        BitConverter.TryWriteBytes(buffer.AsSpan(4), 22u);
        BitConverter.TryWriteBytes(buffer.AsSpan(8), 33u);
        BitConverter.TryWriteBytes(buffer.AsSpan(12), 44u);

        Assert.Equal(new AmdSmiPowerReading(11, 22), new AmdSmiAbi24Layout().DecodePowerInfo(buffer));
        Assert.Equal(new AmdSmiPowerReading(33, 44), new AmdSmiAbi25Layout().DecodePowerInfo(buffer));
        Assert.Equal(new AmdSmiPowerReading(33, 44), new AmdSmiAbi26Layout().DecodePowerInfo(buffer));
    }

    [Theory]
    [InlineData((0x0001ul << 16) | (0xc5ul << 8), "0001:c5:00.0")]
    [InlineData((0x0000ul << 16) | (0x3bul << 8) | (0x1ful << 3) | 7, "0000:3b:1f.7")]
    [InlineData((0x12345ul << 16) | (0xABul << 8) | (0x02ul << 3) | 1, "12345:ab:02.1")]
    [InlineData(0ul, "0000:00:00.0")]
    public void Bdf_Formatted_LowercaseDomainAtLeastFourDigitsRealFunction(ulong raw, string expected)
    {
        Assert.Equal(expected, new AmdSmiBdf(raw).ToString());
    }

    [Fact]
    public void LibraryVersion_YearOnlyWhereTheAbiHasOne()
    {
        Assert.Equal("24.7.1.0", new AmdSmiLibraryVersion(24, 7, 1, 0).ToString());
        Assert.Equal("26.2.0", new AmdSmiLibraryVersion(null, 26, 2, 0).ToString());
    }

    [Theory]
    [InlineData(24, 24u, 7u, 0u, true, true)]
    [InlineData(24, 24u, 6u, 3u, false, true)]
    [InlineData(25, 25u, 25u, 3u, true, true)]
    [InlineData(25, 6u, 4u, 0u, false, true)]
    [InlineData(26, null, 26u, 0u, true, true)]
    [InlineData(26, null, 26u, 1u, true, true)]
    [InlineData(26, null, 26u, 2u, true, false)]
    [InlineData(26, null, 26u, 3u, true, false)]
    [InlineData(26, null, 27u, 0u, false, false)]
    public void Layout_VersionRules_SupportedAndSerializedBefore262(int abi, uint? year, uint major, uint minor, bool supported, bool serialized)
    {
        var layout = AmdSmiAbiLayout.SearchOrder.Single(l => l.Abi == abi);
        var version = new AmdSmiLibraryVersion(year, major, minor, 0);

        Assert.Equal(supported, layout.IsSupported(version));
        if (supported)
        {
            Assert.Equal(serialized, layout.NeedsSerializedCalls(version));
        }
    }
}
