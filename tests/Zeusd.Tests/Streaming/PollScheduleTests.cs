using Zeusd.Streaming;
using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Streaming;

public sealed class PollScheduleTests
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly ManualTimeProvider _clock = new();

    /// <summary>The period in the clock's timestamp units (not <see cref="TimeSpan"/> ticks).</summary>
    private long PeriodInTimestamps => Period.Ticks * _clock.TimestampFrequency / TimeSpan.TicksPerSecond;

    [Fact]
    public async Task WaitAsync_StartedBetweenInstants_WakesAtTheNextInstantOfTheOriginsGrid()
    {
        long origin = _clock.GetTimestamp();
        _clock.Advance(TimeSpan.FromMilliseconds(20));
        using var schedule = new PollSchedule(_clock, Period, origin);

        var wait = schedule.WaitAsync(CancellationToken.None).AsTask();
        _clock.Advance(TimeSpan.FromMilliseconds(29));
        Assert.False(wait.IsCompleted);
        _clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(await wait.WaitAsync(Timeout));
        Assert.Equal(_clock.GetTimestamp() + PeriodInTimestamps, schedule.Next);
    }

    [Fact]
    public async Task WaitAsync_TwoSchedulesStartedApart_WakeAtTheSameInstants()
    {
        using var early = new PollSchedule(_clock, Period, origin: 0);
        _clock.Advance(TimeSpan.FromMilliseconds(73));
        using var late = new PollSchedule(_clock, Period, origin: 0);

        Assert.True(await early.WaitAsync(CancellationToken.None).AsTask().WaitAsync(Timeout));
        var earlyNext = early.WaitAsync(CancellationToken.None).AsTask();
        var lateNext = late.WaitAsync(CancellationToken.None).AsTask();
        _clock.Advance(TimeSpan.FromMilliseconds(27));

        Assert.True(await earlyNext.WaitAsync(Timeout));
        Assert.True(await lateNext.WaitAsync(Timeout));
        Assert.Equal(early.Next, late.Next);
    }

    [Fact]
    public async Task WaitAsync_ManyInstantsMissed_WakesOnceThenKeepsTheGrid()
    {
        long origin = _clock.GetTimestamp();
        using var schedule = new PollSchedule(_clock, Period, origin);

        _clock.Advance(Period * 5.5);
        Assert.True(await schedule.WaitAsync(CancellationToken.None).AsTask().WaitAsync(Timeout));

        Assert.Equal(origin + 6 * PeriodInTimestamps, schedule.Next);
        var next = schedule.WaitAsync(CancellationToken.None).AsTask();
        Assert.False(next.IsCompleted);
        _clock.Advance(Period / 2);
        Assert.True(await next.WaitAsync(Timeout));
    }

    [Fact]
    public async Task WaitAsync_Cancelled_ReturnsFalse()
    {
        using var schedule = new PollSchedule(_clock, Period, origin: 0);
        using var cancellation = new CancellationTokenSource();

        var wait = schedule.WaitAsync(cancellation.Token).AsTask();
        await cancellation.CancelAsync();

        Assert.False(await wait.WaitAsync(Timeout));
    }
}
