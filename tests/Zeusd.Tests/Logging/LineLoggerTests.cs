using System.Buffers;
using System.Text;
using Microsoft.Extensions.Logging;
using Zeusd.Logging;
using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Logging;

public sealed class LineLoggerTests
{
    /// <summary>Writes its first part, a string, and the second, a number.</summary>
    private sealed class TextAndNumberFormat : IUtf8LogFormat
    {
        public void Write(in LogMessageParts parts, IBufferWriter<byte> message)
        {
            var bytes = Encoding.UTF8.GetBytes($"{parts.Object1} {parts.Number1}");
            bytes.CopyTo(message.GetSpan(bytes.Length));
            message.Advance(bytes.Length);
        }
    }

    private sealed class UnreadableClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => throw new InvalidOperationException("the clock was read");
    }

    private static string LogOnce<TState>(TState state, Func<TState, Exception?, string> formatter, Exception? exception = null)
    {
        var output = new MemoryStream();
        using (var writer = new LogLineWriter(output, LogLineStyle.Terminal, TimeSpan.Zero))
        {
            var logger = new LineLogger("Zeusd.Test", writer, new ManualTimeProvider());
            logger.Log(LogLevel.Warning, new EventId(7), state, exception, formatter);
        }
        return Encoding.UTF8.GetString(output.ToArray());
    }

    [Fact]
    public void Log_MessageByValue_IsWrittenByItsFormatOnOneLine()
    {
        var output = new MemoryStream();
        using (var writer = new LogLineWriter(output, LogLineStyle.Terminal, TimeSpan.Zero))
        {
            new LineLogger("Zeusd.Test", writer, new ManualTimeProvider()).Log(LogLevel.Information, new EventId(7), new TextAndNumberFormat(),
                new LogMessageParts("caller 'mallory\ninfo: forged' set GPU", null, null, null, 3, 0, 0));
        }

        Assert.Equal("2026-11-22T00:00:00.000Z info: Zeusd.Test[7] caller 'mallory info: forged' set GPU 3\n",
            Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public void Log_OrdinaryState_WritesWhatTheFormatterSaysAndTheException()
    {
        string line = LogOnce("state", (s, e) => $"formatted {s}", new IOException("disk gone"));

        Assert.Equal("2026-11-22T00:00:00.000Z warn: Zeusd.Test[7] formatted state System.IO.IOException: disk gone\n", line);
    }

    [Fact]
    public void Log_EmptyMessageWithoutException_WritesNothing()
    {
        Assert.Equal("", LogOnce("state", (_, _) => ""));
    }

    [Fact]
    public void Log_JournalStyle_WritesThePriorityAndNeverReadsTheClock()
    {
        var output = new MemoryStream();
        using (var writer = new LogLineWriter(output, LogLineStyle.Journal, TimeSpan.Zero))
        {
            new LineLogger("Zeusd.Test", writer, new UnreadableClock()).Log(LogLevel.Warning, new EventId(7), "state", null, (s, _) => s);
        }

        Assert.Equal("<4>Zeusd.Test[7] state\n", Encoding.UTF8.GetString(output.ToArray()));
    }
}
