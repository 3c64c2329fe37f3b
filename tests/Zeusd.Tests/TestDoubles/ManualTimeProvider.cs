namespace Zeusd.Tests.TestDoubles;

/// <summary>
/// A clock that moves only when the test says so; timers fire as time passes their due time. Its timestamps count
/// nanoseconds from an arbitrary origin, unlike <see cref="TimeSpan"/> ticks, so code that mixes the two fails tests.
/// </summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private const long NanosecondsPerTick = 100;
    private const long TimestampOrigin = 123_456_789_000;
    private readonly Lock _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private readonly long _startTicks = start.UtcTicks;
    private long _ticks = start.UtcTicks;

    public ManualTimeProvider() : this(new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public override long GetTimestamp() => TimestampOrigin + (Interlocked.Read(ref _ticks) - _startTicks) * NanosecondsPerTick;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond * NanosecondsPerTick;

    /// <summary>The current time in whole Unix seconds.</summary>
    public long UnixSeconds => GetUtcNow().ToUnixTimeSeconds();

    /// <summary>Timers that are armed now (a sleeping poller has none).</summary>
    public int ArmedTimers
    {
        get { lock (_lock) { return _timers.Count; } }
    }

    public void Advance(TimeSpan by)
    {
        long target = Interlocked.Read(ref _ticks) + by.Ticks;
        while (true)
        {
            ManualTimer? due;
            lock (_lock)
            {
                due = _timers.Where(t => t.DueTicks <= target).MinBy(t => t.DueTicks);
                if (due is null)
                {
                    Interlocked.Exchange(ref _ticks, target);
                    return;
                }
                Interlocked.Exchange(ref _ticks, Math.Max(Interlocked.Read(ref _ticks), due.DueTicks));
                due.Reschedule();
            }
            due.Fire();
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private long _period = -1;
        public long DueTicks { get; private set; } = long.MaxValue;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._lock)
            {
                owner._timers.Remove(this);
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    return true;
                }
                DueTicks = Interlocked.Read(ref owner._ticks) + dueTime.Ticks;
                _period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? -1 : period.Ticks;
                owner._timers.Add(this);
            }
            return true;
        }

        public void Reschedule()
        {
            owner._timers.Remove(this);
            if (_period > 0)
            {
                DueTicks += _period;
                owner._timers.Add(this);
            }
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (owner._lock)
            {
                owner._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
