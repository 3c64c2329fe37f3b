using Microsoft.Extensions.Logging;

namespace Zeusd.Tests.TestDoubles;

/// <summary>A logger that keeps every formatted message, so tests can wait for one.</summary>
public sealed class CapturingLogger : ILogger
{
    private readonly List<string> _lines = [];
    private readonly SemaphoreSlim _logged = new(0);

    public string[] Lines
    {
        get { lock (_lines) { return [.. _lines]; } }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_lines)
        {
            _lines.Add($"{logLevel}: {formatter(state, exception)}");
        }
        _logged.Release();
    }

    /// <summary>Waits until a line containing <paramref name="text"/> has been logged.</summary>
    public async Task WaitForAsync(string text)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!Lines.Any(line => line.Contains(text, StringComparison.Ordinal)))
        {
            Assert.True(await _logged.WaitAsync(deadline - DateTime.UtcNow > TimeSpan.Zero ? deadline - DateTime.UtcNow : TimeSpan.Zero),
                $"never logged '{text}'; got:\n{string.Join('\n', Lines)}");
        }
    }
}
