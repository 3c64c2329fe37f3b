using System.Buffers;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Zeusd.Logging;

/// <summary>One category's logger: formats each event on the caller's thread and hands the line to the writer.</summary>
public sealed class LineLogger(string category, LogLineStyle style, LogLineWriter writer, TimeProvider time) : ILogger
{
    private const int KeptScratchBytes = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_scratch;

    private readonly byte[] _category = Encoding.UTF8.GetBytes(category);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    /// <summary>The factory's filters (<c>--log-level</c>, framework categories) decide; this logger takes every level.</summary>
    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }
        var line = t_scratch ??= new ArrayBufferWriter<byte>(512);
        line.ResetWrittenCount();
        if (state is IUtf8LogMessage utf8)
        {
            LogLineFormat.Append(line, style, time.GetUtcNow(), logLevel, _category, eventId.Id, utf8, exception);
        }
        else
        {
            string message = formatter(state, exception);
            if (message.Length == 0 && exception is null)
            {
                return;
            }
            LogLineFormat.Append(line, style, time.GetUtcNow(), logLevel, _category, eventId.Id, message, exception);
        }
        writer.Add(line.WrittenSpan);
        if (line.Capacity > KeptScratchBytes)
        {
            t_scratch = null; // one huge message must not pin its buffer to the thread for good
        }
    }
}
