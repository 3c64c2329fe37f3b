using System.Text;
using Microsoft.Extensions.Logging;

namespace Zeusd.Logging;

/// <summary>
/// One category's logger: takes what the line needs on the caller's thread (the time unless the journal stamps the line,
/// the message text, or a message by value and its format) and queues it; the writer thread makes the line.
/// </summary>
public sealed class LineLogger(string category, LogLineWriter writer, TimeProvider time) : ILogger
{
    private readonly byte[] _category = Encoding.UTF8.GetBytes(category);

    // The journal stamps each line itself; reading the clock was a fifth of an audit line's cost on the request thread.
    private readonly bool _stampsLines = writer.Style != LogLineStyle.Journal;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    /// <summary>The factory's filters (<c>--log-level</c>, framework categories) decide; this logger takes every level.</summary>
    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }
        string text = formatter(state, exception);
        if (text.Length == 0 && exception is null)
        {
            return;
        }
        writer.Add(new PendingLine(Now(), logLevel, _category, eventId.Id, text, exception?.ToString()));
    }

    /// <summary>
    /// Queues a message by value, its text made later by <paramref name="format"/>: for the line logged on every request,
    /// called directly, not through the framework. The caller has checked the framework's filters for this category
    /// (<see cref="ILogger.IsEnabled"/> of its framework logger); this sink is the daemon's only one.
    /// </summary>
    public void Log(LogLevel logLevel, EventId eventId, IUtf8LogFormat format, in LogMessageParts parts) =>
        writer.Add(new PendingLine(Now(), logLevel, _category, eventId.Id, format, null, parts));

    private DateTimeOffset Now() => _stampsLines ? time.GetUtcNow() : default;
}
