using Zeusd.Api;

namespace Zeusd.Tests.Api;

public sealed class DeviceIdListTests
{
    [Theory]
    [InlineData("2,0,2", new ulong[] { 0, 2 })]
    [InlineData(" 3 , 1 ", new ulong[] { 1, 3 })]
    [InlineData("+1", new ulong[] { 1 })]
    [InlineData("18446744073709551615", new ulong[] { ulong.MaxValue })]
    public void TryParse_ValidList_SortsAndDeduplicates(string raw, ulong[] expected)
    {
        Assert.Null(DeviceIdList.TryParse(raw, DeviceKind.Gpu, out var ids));

        Assert.Equal(expected, ids);
    }

    [Theory]
    [InlineData("", "gpu_ids must contain at least one GPU index")]
    [InlineData("   ", "gpu_ids must contain at least one GPU index")]
    [InlineData("0,,1", "gpu_ids contains an empty GPU index")]
    [InlineData("0,", "gpu_ids contains an empty GPU index")]
    [InlineData(",0", "gpu_ids contains an empty GPU index")]
    [InlineData("0, x ", "Invalid GPU index: x")]
    [InlineData("-1", "Invalid GPU index: -1")]
    [InlineData("18446744073709551616", "Invalid GPU index: 18446744073709551616")]
    public void TryParse_MalformedGpuList_ReturnsContractText(string raw, string expected)
    {
        Assert.Equal(expected, DeviceIdList.TryParse(raw, DeviceKind.Gpu, out _));
    }

    [Fact]
    public void TryParse_MalformedCpuList_NamesCpus()
    {
        Assert.Equal("cpu_ids must contain at least one CPU index", DeviceIdList.TryParse("", DeviceKind.Cpu, out _));
        Assert.Equal("cpu_ids contains an empty CPU index", DeviceIdList.TryParse("1,", DeviceKind.Cpu, out _));
        Assert.Equal("Invalid CPU index: a", DeviceIdList.TryParse("a", DeviceKind.Cpu, out _));
    }

    [Fact]
    public void CheckReadRange_SomeMissing_NamesSmallestMissing()
    {
        Assert.Equal("GPU 4 not found", DeviceIdList.CheckReadRange([1, 4, 9], 4, DeviceKind.Gpu, out _));
        Assert.Equal("CPU 18446744073709551615 not found", DeviceIdList.CheckReadRange([ulong.MaxValue], 2, DeviceKind.Cpu, out _));
    }

    [Fact]
    public void CheckReadRange_AllPresent_ReturnsIds()
    {
        Assert.Null(DeviceIdList.CheckReadRange([0, 3], 4, DeviceKind.Gpu, out var ids));
        Assert.Equal([0, 3], ids);
    }

    [Fact]
    public void CheckWriteRange_SomeMissing_ReturnsTextSentence()
    {
        Assert.Equal("GPU index 5 does not exist.", DeviceIdList.CheckWriteRange([0, 5, 7], 2, DeviceKind.Gpu, out _));
    }

    [Fact]
    public void CheckStreamRange_SomeMissing_ListsAllUnknownAndAvailable()
    {
        Assert.Equal("Unknown GPU indices: [5, 7]. Available: [0, 1, 2, 3]",
            DeviceIdList.CheckStreamRange([1, 5, 7], 4, DeviceKind.Gpu, out _));
        Assert.Equal("Unknown CPU indices: [0]. Available: []", DeviceIdList.CheckStreamRange([0], 0, DeviceKind.Cpu, out _));
    }
}
