using Zeusd.Compat;

namespace Zeusd.Tests.Compat;

public sealed class HumantimeDurationTests
{
    [Theory]
    [InlineData("1h", 3_600UL, 0U)]
    [InlineData("7d", 604_800UL, 0U)]
    [InlineData("30d", 2_592_000UL, 0U)]
    [InlineData("1h 30m", 5_400UL, 0U)]
    [InlineData("1h30m", 5_400UL, 0U)]
    [InlineData("2weeks", 1_209_600UL, 0U)]
    [InlineData("1y", 31_557_600UL, 0U)]          // 365.25 days
    [InlineData("1month", 2_630_016UL, 0U)]       // 30.44 days
    [InlineData("1M", 2_630_016UL, 0U)]           // uppercase M is a month in humantime (the CLI lowercases first)
    [InlineData("1m", 60UL, 0U)]
    [InlineData("90s", 90UL, 0U)]
    [InlineData("20 min 17 nsec", 1_200UL, 17U)]
    [InlineData("1500ms", 1UL, 500_000_000U)]
    [InlineData("250us", 0UL, 250_000U)]
    [InlineData("3µs", 0UL, 3_000U)]
    [InlineData("5 hours", 18_000UL, 0U)]
    [InlineData("2hrs 1sec", 7_201UL, 0U)]
    [InlineData("1wk", 604_800UL, 0U)]
    [InlineData("2yrs", 63_115_200UL, 0U)]
    [InlineData("0", 0UL, 0U)]
    [InlineData("0s", 0UL, 0U)]
    public void TryParse_HumantimeDuration_ReadsSecondsAndNanoseconds(string text, ulong seconds, uint nanoseconds)
    {
        Assert.True(HumantimeDuration.TryParse(text, out var duration, out string? error), error);

        Assert.Equal(new HumantimeDuration.Duration(seconds, nanoseconds), duration);
    }

    [Theory]
    [InlineData("", "value was empty")]
    [InlineData("5", "time unit needed, for example 5sec or 5ms")]
    [InlineData("30", "time unit needed, for example 30sec or 30ms")]
    [InlineData("1x", "unknown time unit \"x\", supported units: ns, us/µs, ms, sec, min, hours, days, weeks, months, years (and few variations)")]
    [InlineData("1 fortnight", "unknown time unit \"fortnight\", supported units: ns, us/µs, ms, sec, min, hours, days, weeks, months, years (and few variations)")]
    [InlineData("h", "expected number at 0")]
    [InlineData("1h x", "expected number at 3")]
    [InlineData("1.5h", "invalid character at 1")]
    [InlineData("-1h", "expected number at 0")]
    [InlineData("1h-", "invalid character at 2")]
    [InlineData("99999999999999999999s", "number is too large")]
    [InlineData("600000000000y", "number is too large")]
    public void TryParse_Invalid_ReportsHumantimeMessage(string text, string expected)
    {
        Assert.False(HumantimeDuration.TryParse(text, out _, out string? error));

        Assert.Equal(expected, error);
    }
}
