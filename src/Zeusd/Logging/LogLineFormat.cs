using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Zeusd.Logging;

/// <summary>
/// One log event as one UTF-8 line, in the layout of the framework's single-line console and systemd formatters
/// (operators' filters and the tests read it): <c>{timestamp}{level}: {category}[{event id}] {message} {exception}</c>
/// in a terminal, <c>&lt;{syslog priority}&gt;{category}[{event id}] {message} {exception}</c> for the journal. CR and
/// LF inside the message or exception become spaces, so no text a caller chose can start a line of its own.
/// </summary>
public static class LogLineFormat
{
    public static void Append(ArrayBufferWriter<byte> line, LogLineStyle style, DateTimeOffset now, LogLevel level,
        ReadOnlySpan<byte> category, int eventId, string message, string? exception)
    {
        WriteHeader(line, style, now, level, category, eventId);
        if (message.Length > 0)
        {
            Write(line, " "u8);
            WriteOneLine(line, message);
        }
        WriteTail(line, exception);
    }

    /// <summary>The same line, with a message its format writes as UTF-8 from its parts (no message string is made).</summary>
    public static void Append(ArrayBufferWriter<byte> line, LogLineStyle style, DateTimeOffset now, LogLevel level,
        ReadOnlySpan<byte> category, int eventId, IUtf8LogFormat format, in LogMessageParts parts, string? exception)
    {
        WriteHeader(line, style, now, level, category, eventId);
        Write(line, " "u8);
        int start = line.WrittenCount;
        format.Write(parts, line);
        SpacesForLineBreaks(MemoryMarshal.AsMemory(line.WrittenMemory).Span[start..]);
        WriteTail(line, exception);
    }

    /// <summary>Into one span, with one Advance (the header is on every line, the audit's included).</summary>
    private static void WriteHeader(IBufferWriter<byte> line, LogLineStyle style, DateTimeOffset now, LogLevel level,
        ReadOnlySpan<byte> category, int eventId)
    {
        var span = line.GetSpan(TimestampLength + 8 + category.Length + 13);
        int at = 0;
        if (style == LogLineStyle.Journal)
        {
            Put(span, ref at, SyslogPriority(level));
        }
        else
        {
            WriteTimestamp(span, now.UtcDateTime);
            at = TimestampLength;
            Put(span, ref at, LevelName(level));
            Put(span, ref at, ": "u8);
        }
        Put(span, ref at, category);
        span[at++] = (byte)'[';
        eventId.TryFormat(span[at..], out int idLength);
        at += idLength;
        span[at++] = (byte)']';
        line.Advance(at);
    }

    private static void Put(Span<byte> span, ref int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(span[at..]);
        at += bytes.Length;
    }

    private static void WriteTail(IBufferWriter<byte> line, string? exception)
    {
        if (exception is not null)
        {
            Write(line, " "u8);
            WriteOneLine(line, exception);
        }
        Write(line, "\n"u8);
    }

    /// <summary>
    /// <c>yyyy-MM-ddTHH:mm:ss.fffZ </c>, digit by digit: the custom-format path of <see cref="DateTime.TryFormat(Span{byte}, out int, ReadOnlySpan{char}, IFormatProvider?)"/>
    /// was half the cost of a line (perf, BENCHMARKS.md issue 17).
    /// </summary>
    private const int TimestampLength = 25;

    private static void WriteTimestamp(Span<byte> span, DateTime utc)
    {
        long second = utc.Ticks / TimeSpan.TicksPerSecond;
        var cache = t_second ??= new SecondText();
        if (cache.Second != second)
        {
            WriteSecond(cache.Text, utc);
            cache.Second = second;
        }
        cache.Text.CopyTo(span);
        span[19] = (byte)'.';
        Digits(span[20..23], utc.Millisecond);
        span[23] = (byte)'Z';
        span[24] = (byte)' ';
    }

    /// <summary><c>yyyy-MM-ddTHH:mm:ss</c>: the lines of one second share it, so it is made once per second and thread.</summary>
    private static void WriteSecond(Span<byte> span, DateTime utc)
    {
        var (year, month, day) = utc;
        Digits(span[0..4], year);
        span[4] = (byte)'-';
        Digits(span[5..7], month);
        span[7] = (byte)'-';
        Digits(span[8..10], day);
        span[10] = (byte)'T';
        Digits(span[11..13], utc.Hour);
        span[13] = (byte)':';
        Digits(span[14..16], utc.Minute);
        span[16] = (byte)':';
        Digits(span[17..19], utc.Second);
    }

    private sealed class SecondText
    {
        public long Second = -1;
        public readonly byte[] Text = new byte[19];
    }

    [ThreadStatic]
    private static SecondText? t_second;

    /// <summary><paramref name="value"/> in decimal, zero-padded to the span's width.</summary>
    private static void Digits(Span<byte> span, int value)
    {
        for (int i = span.Length - 1; i >= 0; i--)
        {
            span[i] = (byte)('0' + value % 10);
            value /= 10;
        }
    }

    private static void Write(IBufferWriter<byte> line, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(line.GetSpan(bytes.Length));
        line.Advance(bytes.Length);
    }

    /// <summary>UTF-8 of <paramref name="text"/>, on one line.</summary>
    private static void WriteOneLine(IBufferWriter<byte> line, string text)
    {
        var span = line.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        int length = Encoding.UTF8.GetBytes(text, span);
        SpacesForLineBreaks(span[..length]);
        line.Advance(length);
    }

    /// <summary>CR and LF become spaces (neither byte occurs inside a multi-byte UTF-8 sequence).</summary>
    private static void SpacesForLineBreaks(Span<byte> text)
    {
        int next;
        while ((next = text.IndexOfAny((byte)'\n', (byte)'\r')) >= 0)
        {
            text[next] = (byte)' ';
            text = text[(next + 1)..];
        }
    }

    private static ReadOnlySpan<byte> LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce"u8,
        LogLevel.Debug => "dbug"u8,
        LogLevel.Information => "info"u8,
        LogLevel.Warning => "warn"u8,
        LogLevel.Error => "fail"u8,
        _ => "crit"u8,
    };

    private static ReadOnlySpan<byte> SyslogPriority(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "<7>"u8,
        LogLevel.Information => "<6>"u8,
        LogLevel.Warning => "<4>"u8,
        LogLevel.Error => "<3>"u8,
        _ => "<2>"u8,
    };
}
