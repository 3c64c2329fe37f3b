namespace Zeusd.Streaming;

/// <summary>
/// Wakes a poller at the instants <c>origin + k * period</c> of <see cref="TimeProvider.GetTimestamp"/>, skipping any
/// it was too late for (like <see cref="PeriodicTimer"/>, it never bursts to catch up). Unlike a periodic timer it does
/// not drift, because each wake-up is scheduled for an absolute instant: pollers sharing an origin stay in step, so
/// their samples are published together and a subscriber of several devices gets them in one wake-up and one write.
/// </summary>
public sealed class PollSchedule : IDisposable
{
    private readonly TimeProvider _time;
    private readonly long _period;
    private readonly ITimer _timer;
    private readonly AsyncSignal _due = new();
    private long _next;

    /// <param name="origin">An instant of the schedule, in timestamp units.</param>
    public PollSchedule(TimeProvider time, TimeSpan period, long origin)
    {
        _time = time;
        _period = Math.Max(1, (long)(period.Ticks * (double)time.TimestampFrequency / TimeSpan.TicksPerSecond));
        _next = FirstInstantAfter(origin, time.GetTimestamp());
        _timer = time.CreateTimer(static state => ((AsyncSignal)state!).Notify(), _due, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Arm(time.GetTimestamp());
    }

    /// <summary>The instant the next wake-up is scheduled for, in timestamp units.</summary>
    public long Next => Volatile.Read(ref _next);

    /// <summary>Waits for the next instant; false if <paramref name="cancellation"/> ended the wait.</summary>
    public async ValueTask<bool> WaitAsync(CancellationToken cancellation)
    {
        using var wake = cancellation.UnsafeRegister(static state => ((AsyncSignal)state!).Notify(), _due);
        while (true)
        {
            await _due.WaitAsync().ConfigureAwait(false);
            if (cancellation.IsCancellationRequested)
            {
                return false;
            }
            long now = _time.GetTimestamp();
            // Timers count whole milliseconds and may fire a little early; within one millisecond, that is the instant.
            if (now + _time.TimestampFrequency / 1000 >= _next)
            {
                _next = FirstInstantAfter(_next, Math.Max(now, _next));
                Arm(now);
                return true;
            }
            Arm(now);
        }
    }

    /// <summary>The first instant of the schedule through <paramref name="instant"/> that is later than <paramref name="now"/>.</summary>
    private long FirstInstantAfter(long instant, long now) =>
        now < instant ? instant : instant + ((now - instant) / _period + 1) * _period;

    private void Arm(long now) =>
        _timer.Change(TimeSpan.FromTicks((long)(Math.Max(0, _next - now) * (double)TimeSpan.TicksPerSecond / _time.TimestampFrequency)),
            Timeout.InfiniteTimeSpan);

    public void Dispose() => _timer.Dispose();
}
