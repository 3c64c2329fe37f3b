using Microsoft.Extensions.Logging;

namespace Zeusd.Logging;

/// <summary>
/// One event waiting for the writer thread, which makes its line (<see cref="LogLineFormat"/>): everything the line
/// needs, taken on the logging thread. <see cref="Message"/> is the formatted text, or the <see cref="IUtf8LogFormat"/>
/// that makes it from <see cref="Parts"/>; the exception is its text, made at once (an exception rethrown later changes
/// its stack trace).
/// </summary>
public readonly record struct PendingLine(DateTimeOffset Time, LogLevel Level, byte[] Category, int EventId, object Message,
    string? Exception, LogMessageParts Parts = default)
{
    /// <summary>Appends the whole line, its newline included.</summary>
    public void AppendTo(System.Buffers.ArrayBufferWriter<byte> line, LogLineStyle style)
    {
        if (Message is IUtf8LogFormat format)
        {
            LogLineFormat.Append(line, style, Time, Level, Category, EventId, format, Parts, Exception);
        }
        else
        {
            LogLineFormat.Append(line, style, Time, Level, Category, EventId, (string)Message, Exception);
        }
    }
}
