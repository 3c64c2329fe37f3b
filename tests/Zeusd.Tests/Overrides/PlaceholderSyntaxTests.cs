using Zeusd.GpuWrites;
using Zeusd.Overrides;

namespace Zeusd.Tests.Overrides;

public sealed class PlaceholderSyntaxTests
{
    [Theory]
    [InlineData(GpuWriteOperation.SetPowerLimit, "--gpu={gpu_id}:{power_limit_mw}:{power_limit_w}")]
    [InlineData(GpuWriteOperation.SetGpuLockedClocks, "{min_clock_mhz},{max_clock_mhz}")]
    [InlineData(GpuWriteOperation.SetMemLockedClocks, "{gpu_id}{min_clock_mhz}{max_clock_mhz}")]
    [InlineData(GpuWriteOperation.SetPersistenceMode, "-pm={enabled}")]
    [InlineData(GpuWriteOperation.ResetLockedClocks, "plain")]
    public void Check_AllowedNames_Passes(GpuWriteOperation operation, string token)
    {
        Assert.Null(PlaceholderSyntax.Check(operation, token));
    }

    [Theory]
    [InlineData("value}")]
    [InlineData("{gpu_id")]
    [InlineData("{{gpu_id}")]
    [InlineData("{}")]
    [InlineData("{gpu_id}}")]
    public void Check_MalformedBraces_AreInvalidPlaceholders(string token)
    {
        Assert.Equal($"Operation 'reset_locked_clocks' has an invalid placeholder in token '{token}'",
            PlaceholderSyntax.Check(GpuWriteOperation.ResetLockedClocks, token));
    }

    [Theory]
    [InlineData(GpuWriteOperation.SetPowerLimit, "--value={max_clock_mhz}", "max_clock_mhz")]
    [InlineData(GpuWriteOperation.ResetGpuLockedClocks, "{enabled}", "enabled")]
    [InlineData(GpuWriteOperation.SetPersistenceMode, "{power_limit_w}", "power_limit_w")]
    [InlineData(GpuWriteOperation.SetGpuLockedClocks, "{GPU_ID}", "GPU_ID")]
    public void Check_NameNotAllowedForTheOperation_IsUnknown(GpuWriteOperation operation, string token, string name)
    {
        Assert.Equal($"Operation '{operation.WireName()}' has unknown placeholder '{{{name}}}' in token '{token}'",
            PlaceholderSyntax.Check(operation, token));
    }

    [Fact]
    public void Substitute_EveryValue_IsPlainReplacementWithWattsFloored()
    {
        Assert.Equal("--gpu=3:253999:253", new PlaceholderValues(3, PowerLimitMw: 253_999).Substitute("--gpu={gpu_id}:{power_limit_mw}:{power_limit_w}"));
        Assert.Equal("0", new PlaceholderValues(0, PowerLimitMw: 999).Substitute("{power_limit_w}"));
        Assert.Equal("4:500:1700", new PlaceholderValues(4, MinClockMhz: 500, MaxClockMhz: 1700).Substitute("{gpu_id}:{min_clock_mhz}:{max_clock_mhz}"));
        Assert.Equal("5:1", new PlaceholderValues(5, Enabled: true).Substitute("{gpu_id}:{enabled}"));
        Assert.Equal("0", new PlaceholderValues(5, Enabled: false).Substitute("{enabled}"));
    }
}
