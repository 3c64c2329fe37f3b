using Microsoft.Extensions.Logging;

namespace Zeusd.Devices;

/// <summary>
/// Logs the failures of one device's commands that nobody waits for (<c>block=false</c>), without flooding: the
/// first failure of a command with a given error at once, then, while it keeps failing that way, one line per interval
/// with how many more times it did. A command that stayed quiet for a whole interval is logged at once again.
/// Remaining counts are written on <see cref="Dispose"/>, so a stop loses none.
/// </summary>
public sealed partial class RepeatedFailureLog : IDisposable
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    // Failures seen in the current interval after the one that was logged, per command and error.
    private readonly Dictionary<(string Command, string Error), long> _repeats = [];
    private readonly string _device;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly ITimer _timer;
    private long _intervalStart;
    private bool _armed;
    private bool _disposed;

    public RepeatedFailureLog(string device, ILogger logger, TimeProvider time, TimeSpan interval)
    {
        _device = device;
        _logger = logger;
        _time = time;
        _interval = interval;
        _timer = time.CreateTimer(static state => ((RepeatedFailureLog)state!).Summarize(), this,
            Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Records that <paramref name="command"/> failed with <paramref name="error"/>.</summary>
    public void Report(string command, string error)
    {
        lock (_gate)
        {
            var key = (command, error);
            if (_repeats.TryGetValue(key, out long count))
            {
                _repeats[key] = count + 1;
                return;
            }
            _repeats[key] = 0;
            if (!_armed && !_disposed)
            {
                _armed = true;
                _intervalStart = _time.GetTimestamp();
                _timer.Change(_interval, _interval);
            }
        }
        Log.Failed(_logger, _device, command, error);
    }

    /// <summary>Writes one line per command and error that failed again during the interval, and starts the next one.</summary>
    private void Summarize()
    {
        List<((string Command, string Error) Key, long Count)> lines = [];
        double seconds;
        lock (_gate)
        {
            seconds = Math.Round(_time.GetElapsedTime(_intervalStart).TotalSeconds, 1);
            _intervalStart = _time.GetTimestamp();
            foreach (var (key, count) in _repeats)
            {
                if (count > 0)
                {
                    lines.Add((key, count));
                }
            }
            // Quiet for a whole interval: forgotten, so its next failure is logged at once.
            _repeats.Clear();
            foreach (var (key, _) in lines)
            {
                _repeats[key] = 0;
            }
            if (_repeats.Count == 0 && _armed)
            {
                _armed = false;
                _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
        }
        foreach (var ((command, error), count) in lines)
        {
            Log.FailedRepeatedly(_logger, _device, command, count, seconds, error);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
        }
        _timer.Dispose();
        Summarize();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "{Device}: non-blocking {Command} failed: {Error}")]
        public static partial void Failed(ILogger logger, string device, string command, string error);

        [LoggerMessage(2, LogLevel.Error, "{Device}: non-blocking {Command} failed {Count} more times in the last {Seconds} s: {Error}")]
        public static partial void FailedRepeatedly(ILogger logger, string device, string command, long count, double seconds, string error);
    }
}
