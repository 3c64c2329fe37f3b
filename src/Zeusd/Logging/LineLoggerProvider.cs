using Microsoft.Extensions.Logging;

namespace Zeusd.Logging;

/// <summary>The daemon's log sink: every category writes single lines through one <see cref="LogLineWriter"/>.</summary>
public sealed class LineLoggerProvider(LogLineWriter writer, TimeProvider time) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => CreateLineLogger(categoryName);

    /// <summary>The same logger as its own type, for a caller that logs to this sink without the framework's dispatch.</summary>
    public LineLogger CreateLineLogger(string categoryName) => new(categoryName, writer, time);

    /// <summary>Flushes what is queued: the logger factory disposes its providers last, after every line above.</summary>
    public void Dispose() => writer.Dispose();
}
