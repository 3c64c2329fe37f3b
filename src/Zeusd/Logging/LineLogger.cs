using System.Text;
using Microsoft.Extensions.Logging;

namespace Zeusd.Logging;

/// <summary>
/// One category's logger: takes what the line needs on the caller's thread (the time unless the journal stamps the line,
/// the message text or the state that writes itself) and queues it; the writer thread makes the line.
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
        object message;
        if (state is IUtf8LogMessage utf8)
        {
            message = utf8;
        }
        else
        {
            string text = formatter(state, exception);
            if (text.Length == 0 && exception is null)
            {
                return;
            }
            message = text;
        }
        writer.Add(new PendingLine(_stampsLines ? time.GetUtcNow() : default, logLevel, _category, eventId.Id, message, exception?.ToString()));
    }
}
