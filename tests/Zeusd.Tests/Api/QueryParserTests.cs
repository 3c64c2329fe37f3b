using Zeusd.Api;

namespace Zeusd.Tests.Api;

public sealed class QueryParserTests
{
    private static string? Parse(QuerySpec spec, string query, out QueryValues values) => QueryParser.TryParse(spec, query, out values);

    [Fact]
    public void TryParse_AllFieldsPresent_ReadsTypedValues()
    {
        Assert.Null(Parse(GpuQuerySpecs.SetPowerLimit, "?gpu_ids=0,1&power_limit_mw=%2B200000&block=false", out var values));

        Assert.Equal("0,1", values.Text(0));
        Assert.Equal(200000u, values.UInt32(1));
        Assert.False(values.Boolean(2));
    }

    [Fact]
    public void TryParse_PercentEncodedComma_IsDecoded()
    {
        Assert.Null(Parse(GpuQuerySpecs.Read, "gpu_ids=0%2C2", out var values));

        Assert.Equal("0,2", values.Text(0));
    }

    [Fact]
    public void TryParse_PlusAndEscapesInValue_DecodeLikeFormUrlEncoding()
    {
        Assert.Null(Parse(GpuQuerySpecs.Read, "gpu_ids=+1%20,%E2%82%AC%zz", out var values));

        Assert.Equal(" 1 ,€%zz", values.Text(0));
    }

    [Theory]
    [InlineData("gpu_ids=0&foo=1", "unknown field `foo`, expected `gpu_ids`")]
    [InlineData("foo=1&gpu_ids=x", "unknown field `foo`, expected `gpu_ids`")]
    [InlineData("gpu_ids=0&gpu_ids=1", "duplicate field `gpu_ids`")]
    public void TryParse_ReadSpecViolations_ReportSerdeMessages(string query, string expected)
    {
        Assert.Equal(expected, Parse(GpuQuerySpecs.Read, query, out _));
    }

    [Theory]
    [InlineData("gpu_ids=0&block=true", "missing field `power_limit_mw`")]
    [InlineData("power_limit_mw=1&block=true", "missing field `gpu_ids`")]
    [InlineData("", "missing field `gpu_ids`")]
    [InlineData("gpu_ids=0&power_limit_mw=1&block=True", "provided string was not `true` or `false`")]
    [InlineData("gpu_ids=0&power_limit_mw=1&block=1", "provided string was not `true` or `false`")]
    [InlineData("gpu_ids=0&power_limit_mw=1&block", "provided string was not `true` or `false`")]
    [InlineData("gpu_ids=0&power_limit_mw=-1&block=true", "invalid digit found in string")]
    [InlineData("gpu_ids=0&power_limit_mw=1.5&block=true", "invalid digit found in string")]
    [InlineData("gpu_ids=0&power_limit_mw= 1&block=true", "invalid digit found in string")]
    [InlineData("gpu_ids=0&power_limit_mw=+&block=true", "invalid digit found in string")]
    [InlineData("gpu_ids=0&power_limit_mw=&block=true", "cannot parse integer from empty string")]
    [InlineData("gpu_ids=0&power_limit_mw=4294967296&block=true", "number too large to fit in target type")]
    [InlineData("gpu_ids=0&power_limit_mw=99999999999x&block=true", "number too large to fit in target type")]
    [InlineData("gpu_ids=0&bogus=1", "unknown field `bogus`, expected one of `gpu_ids`, `power_limit_mw`, `block`")]
    [InlineData("block=maybe&bogus=1", "provided string was not `true` or `false`")]
    public void TryParse_WriteSpecViolations_ReportFirstProblemLeftToRight(string query, string expected)
    {
        Assert.Equal(expected, Parse(GpuQuerySpecs.SetPowerLimit, query, out _));
    }

    [Fact]
    public void TryParse_TwoFieldSpec_ListsBothInUnknownFieldMessage()
    {
        Assert.Equal("unknown field `x`, expected `gpu_ids` or `block`", Parse(GpuQuerySpecs.Reset, "x=1", out _));
    }

    [Fact]
    public void TryParse_MaxUInt32_IsAccepted()
    {
        Assert.Null(Parse(GpuQuerySpecs.SetPowerLimit, "gpu_ids=0&power_limit_mw=4294967295&block=true", out var values));

        Assert.Equal(uint.MaxValue, values.UInt32(1));
    }

    [Fact]
    public void TryParse_EmptyPairsAndKeyWithoutValue_SkipsEmptyAndReadsEmptyString()
    {
        Assert.Null(Parse(GpuQuerySpecs.Read, "&&gpu_ids&", out var values));

        Assert.Equal("", values.Text(0));
    }

    [Fact]
    public void TryParse_OptionalFieldAbsent_IsNotPresent()
    {
        Assert.Null(Parse(CpuQuerySpecs.GetCumulativeEnergy, "?cpu=true&dram=false", out var values));

        Assert.False(values.IsPresent(0));
        Assert.Null(values.Text(0));
        Assert.True(values.Boolean(1));
        Assert.False(values.Boolean(2));
    }

    [Fact]
    public void TryParse_EncodedKey_IsDecodedBeforeMatching()
    {
        Assert.Null(Parse(GpuQuerySpecs.Read, "gpu%5Fids=1", out var values));

        Assert.Equal("1", values.Text(0));
    }
}
