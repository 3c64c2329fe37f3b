namespace Zeusd.Tests.Streaming;

/// <summary>
/// A clock that moves only when a test says so. Timers (as used by <c>PeriodicTimer</c> and <c>Task.Delay</c>) fire
/// synchronously inside <see cref="Advance"/>, in due order.
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private readonly DateTimeOffset _start = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override DateTimeOffset GetUtcNow() => _start.AddTicks(GetTimestamp());

    /// <summary>Timers that are armed now.</summary>
    public int ArmedTimers
    {
        get { lock (_lock) { return _timers.Count(t => t.DueAt is not null); } }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        lock (_lock)
        {
            _timers.Add(timer);
        }
        return timer;
    }

    public void Advance(TimeSpan by)
    {
        long target = GetTimestamp() + by.Ticks;
        while (true)
        {
            ManualTimer? next;
            lock (_lock)
            {
                next = _timers.Where(t => t.DueAt <= target).MinBy(t => t.DueAt);
                if (next is null)
                {
                    break;
                }
                Interlocked.Exchange(ref _ticks, Math.Max(_ticks, next.DueAt!.Value));
                next.Rearm();
            }
            next.Fire();
        }
        Interlocked.Exchange(ref _ticks, target);
    }

    private void Remove(ManualTimer timer)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class ManualTimer(ManualTimeProvider clock, TimerCallback callback, object? state) : ITimer
    {
        private long _period;

        public long? DueAt { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._lock)
            {
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : clock.GetTimestamp() + dueTime.Ticks;
                _period = period == Timeout.InfiniteTimeSpan ? 0 : period.Ticks;
            }
            return true;
        }

        /// <summary>Called under the clock's lock when the timer fires.</summary>
        public void Rearm() => DueAt = _period > 0 ? DueAt + _period : null;

        public void Fire() => callback(state);

        public void Dispose() => clock.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
