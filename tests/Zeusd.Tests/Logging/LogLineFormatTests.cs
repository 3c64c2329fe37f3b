using System.Buffers;
using System.Text;
using Microsoft.Extensions.Logging;
using Zeusd.Logging;

namespace Zeusd.Tests.Logging;

public sealed class LogLineFormatTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 18, 50, 22, 285, TimeSpan.FromHours(1));

    private static string Line(LogLineStyle style, LogLevel level, string message, Exception? exception = null)
    {
        var line = new ArrayBufferWriter<byte>();
        LogLineFormat.Append(line, style, Now, level, "Zeusd.Policy.PolicyAudit"u8, 3, message, exception?.ToString());
        return Encoding.UTF8.GetString(line.WrittenSpan);
    }

    [Theory]
    [InlineData(LogLevel.Trace, "trce")]
    [InlineData(LogLevel.Debug, "dbug")]
    [InlineData(LogLevel.Information, "info")]
    [InlineData(LogLevel.Warning, "warn")]
    [InlineData(LogLevel.Error, "fail")]
    [InlineData(LogLevel.Critical, "crit")]
    public void Append_Terminal_WritesTheUtcTimestampLevelCategoryAndEventId(LogLevel level, string name)
    {
        Assert.Equal($"2026-12-02T17:50:22.285Z {name}: Zeusd.Policy.PolicyAudit[3] GPU control by alice\n",
            Line(LogLineStyle.Terminal, level, "GPU control by alice"));
    }

    [Theory]
    [InlineData(2027, 1, 5, 3, 4, 5, 7, "2027-01-05T03:04:05.007Z")]
    [InlineData(999, 12, 31, 23, 59, 59, 999, "0999-12-31T23:59:59.999Z")]
    [InlineData(2026, 10, 10, 0, 0, 0, 0, "2026-10-10T00:00:00.000Z")]
    public void Append_Terminal_PadsEveryFieldOfTheTimestamp(int year, int month, int day, int hour, int minute, int second, int ms, string expected)
    {
        var line = new ArrayBufferWriter<byte>();
        var at = new DateTimeOffset(year, month, day, hour, minute, second, ms, TimeSpan.Zero);

        LogLineFormat.Append(line, LogLineStyle.Terminal, at, LogLevel.Information, "Zeusd"u8, 1, "m", null);

        Assert.Equal($"{expected} info: Zeusd[1] m\n", Encoding.UTF8.GetString(line.WrittenSpan));
    }

    [Fact]
    public void Append_Terminal_LinesAcrossSecondsDaysAndAClockStepBack_EachGetTheirOwnTimestamp()
    {
        var line = new ArrayBufferWriter<byte>();
        var midnight = new DateTimeOffset(2026, 12, 31, 23, 59, 59, 998, TimeSpan.Zero);
        var times = new[] { midnight, midnight.AddMilliseconds(1), midnight.AddMilliseconds(2), midnight.AddMilliseconds(1), midnight.AddSeconds(-59) };

        foreach (var at in times)
        {
            LogLineFormat.Append(line, LogLineStyle.Terminal, at, LogLevel.Information, "Zeusd"u8, 1, "m", null);
        }

        Assert.Equal(
            "2026-12-31T23:59:59.998Z info: Zeusd[1] m\n2026-12-31T23:59:59.999Z info: Zeusd[1] m\n" +
            "2027-01-01T00:00:00.000Z info: Zeusd[1] m\n2026-12-31T23:59:59.999Z info: Zeusd[1] m\n" +
            "2026-12-31T23:59:00.998Z info: Zeusd[1] m\n",
            Encoding.UTF8.GetString(line.WrittenSpan));
    }

    [Theory]
    [InlineData(LogLevel.Trace, 7)]
    [InlineData(LogLevel.Debug, 7)]
    [InlineData(LogLevel.Information, 6)]
    [InlineData(LogLevel.Warning, 4)]
    [InlineData(LogLevel.Error, 3)]
    [InlineData(LogLevel.Critical, 2)]
    public void Append_Journal_StartsWithTheSyslogPriorityAndHasNoTimestamp(LogLevel level, int priority)
    {
        Assert.Equal($"<{priority}>Zeusd.Policy.PolicyAudit[3] GPU control by alice\n", Line(LogLineStyle.Journal, level, "GPU control by alice"));
    }

    [Theory]
    [InlineData(LogLineStyle.Terminal)]
    [InlineData(LogLineStyle.Journal)]
    public void Append_NewlinesInMessageAndException_StayOnOneLine(LogLineStyle style)
    {
        string line = Line(style, LogLevel.Warning, "forged\ninfo: Zeusd[1] line\r\nend", new InvalidOperationException("two\nlines"));

        Assert.Single(line.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.EndsWith("] forged info: Zeusd[1] line  end System.InvalidOperationException: two lines\n", line);
    }

    [Fact]
    public void Append_NonAsciiMessage_IsUtf8()
    {
        Assert.EndsWith("] Grant für José: 150–300 W\n", Line(LogLineStyle.Journal, LogLevel.Information, "Grant für José: 150–300 W"));
    }
}
