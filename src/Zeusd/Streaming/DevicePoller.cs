using Microsoft.Extensions.Logging;
using Zeusd.Devices;

namespace Zeusd.Streaming;

/// <summary>
/// The power poller of one device, independent of its management queue. It sleeps, with no hardware calls, until
/// someone subscribes; then it polls once per period into its <see cref="LatestValueSlot"/> for as long as anyone is
/// subscribed (one poll per period however many subscribers there are), and pauses again after the last one leaves.
/// Each active stretch is a session: a new session starts from a clean state and an empty slot.
/// </summary>
public abstract partial class DevicePoller : IAsyncDisposable
{
    /// <summary>The shortest nominal period; a poll rate above 1 MHz would otherwise make it zero.</summary>
    public static readonly TimeSpan MinPeriod = TimeSpan.FromMicroseconds(1);

    /// <summary>
    /// The finest tick .NET timers deliver (they count whole milliseconds, and a zero period would tick only once).
    /// Shorter nominal periods still count for power arithmetic and freshness; polls just come no faster than this.
    /// </summary>
    public static readonly TimeSpan FinestTimerPeriod = TimeSpan.FromMilliseconds(1);

    private readonly AsyncSignal _wake = new();
    private readonly CancellationTokenSource _stopping = new();
    /// <summary>How long shutdown waits for a poll in progress, as for a device queue (a hung driver call never returns).</summary>
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(2);

    private readonly ILogger _logger;
    private Task _loop = Task.CompletedTask;
    private string? _failure;
    private int _disposed;

    protected DevicePoller(string name, TimeSpan period, TimeProvider time, ILogger logger)
    {
        Name = name;
        Period = period < MinPeriod ? MinPeriod : period;
        TimerPeriod = Period < FinestTimerPeriod ? FinestTimerPeriod : Period;
        Time = time;
        _logger = logger;
    }

    /// <summary>For logs, e.g. <c>GPU 0</c>.</summary>
    public string Name { get; }

    /// <summary>The nominal polling period (<c>1 / poll_hz</c>).</summary>
    public TimeSpan Period { get; }

    /// <summary>The period the poller actually polls at: <see cref="Period"/>, but at least 1 ms.</summary>
    public TimeSpan TimerPeriod { get; }

    public LatestValueSlot Slot { get; } = new();

    protected TimeProvider Time { get; }

    /// <summary>Whether the first poll of a session happens at once (GPU) or one period after it starts (CPU).</summary>
    protected abstract bool PollsOnWake { get; }

    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>Adds a subscriber and wakes the poller if it sleeps.</summary>
    public void Subscribe(AsyncSignal subscriber)
    {
        Slot.Add(subscriber);
        _wake.Notify();
    }

    /// <summary>Removes a subscriber; the poller notices an empty slot before its next hardware call.</summary>
    public void Unsubscribe(AsyncSignal subscriber) => Slot.Remove(subscriber);

    /// <summary>Resets the session state and reads whatever a first sample needs; false if that failed (retried each period).</summary>
    protected abstract bool BeginSession();

    /// <summary>Reads the device and publishes a sample when the rules say so, or always when <paramref name="mustPublish"/>.</summary>
    /// <returns>Whether a sample was published.</returns>
    protected abstract bool Poll(bool mustPublish);

    private async Task RunAsync()
    {
        var stopping = _stopping.Token;
        try
        {
            while (true)
            {
                while (Slot.SubscriberCount == 0)
                {
                    await _wake.WaitAsync().ConfigureAwait(false);
                    stopping.ThrowIfCancellationRequested();
                }
                // Subscribers may outlive the daemon's stop (a stream past the shutdown budget): no new session then.
                stopping.ThrowIfCancellationRequested();
                Log.Resumed(_logger, Name);
                try
                {
                    await RunSessionAsync(stopping).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A bug must not end streaming for good: start over after a pause.
                    Log.SessionCrashed(_logger, Name, ex);
                    await Task.Delay(TimerPeriod, Time, stopping).ConfigureAwait(false);
                }
                finally
                {
                    Slot.Clear();
                    Log.Paused(_logger, Name);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task RunSessionAsync(CancellationToken stopping)
    {
        // The schedule exists before the first read, so no tick can be missed while that read runs.
        using var schedule = new PollSchedule(Time, TimerPeriod, ScheduleOrigin(Time.GetTimestamp()));
        bool ready = BeginSession();
        if (ready && PollsOnWake)
        {
            PollOnce();
        }
        while (await schedule.WaitAsync(stopping).ConfigureAwait(false))
        {
            if (Slot.SubscriberCount == 0)
            {
                return;
            }
            if (ready)
            {
                PollOnce();
            }
            else
            {
                ready = BeginSession();
            }
        }
    }

    /// <summary>
    /// An instant of this session's polling schedule. Pollers that share a schedule poll (and publish) together, so
    /// a subscriber of all of them is woken once per period rather than once per device.
    /// </summary>
    /// <param name="sessionStart">When the session started, just before its first read.</param>
    protected abstract long ScheduleOrigin(long sessionStart);

    private void PollOnce()
    {
        bool freshRequested = Slot.TakeFreshSampleRequest();
        bool published = false;
        try
        {
            published = Poll(freshRequested);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Device errors are handled by Poll; anything else is a bug that must not end streaming for good.
            Log.PollCrashed(_logger, Name, ex);
        }
        if (!published && freshRequested)
        {
            // The read failed: the subscriber that asked still waits for its first sample.
            Slot.RequestFreshSample();
        }
    }


    /// <summary>Logs a failed read once per streak of identical failures (a poll rate of 20 Hz would flood the log).</summary>
    protected void ReportReadFailure(string what, DeviceException error)
    {
        if (_failure == error.Message)
        {
            Log.ReadStillFailing(_logger, Name, what, error.Message);
            return;
        }
        _failure = error.Message;
        Log.ReadFailed(_logger, Name, what, error.Message);
    }

    protected void ReportReadSucceeded()
    {
        if (_failure is not null)
        {
            _failure = null;
            Log.ReadRecovered(_logger, Name);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        _wake.Notify();
        try
        {
            await _loop.WaitAsync(StopTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Stuck inside a device call (a hung driver): shutdown must not wait for it, and the loop still holds
            // the cancellation source, so it is left to the finalizer.
            Log.StillBusyAtShutdown(_logger, Name, StopTimeout.TotalSeconds);
            return;
        }
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    private static partial class Log
    {
        [LoggerMessage(8, LogLevel.Warning, "Power poller for {Device} is still inside a device call after {Seconds} s; exiting without waiting for it")]
        public static partial void StillBusyAtShutdown(ILogger logger, string device, double seconds);

        [LoggerMessage(1, LogLevel.Debug, "Power poller for {Device} resumed")]
        public static partial void Resumed(ILogger logger, string device);

        [LoggerMessage(2, LogLevel.Debug, "Power poller for {Device} paused")]
        public static partial void Paused(ILogger logger, string device);

        [LoggerMessage(3, LogLevel.Warning, "Power poller for {Device}: reading {What} failed: {Error}")]
        public static partial void ReadFailed(ILogger logger, string device, string what, string error);

        [LoggerMessage(4, LogLevel.Debug, "Power poller for {Device}: reading {What} still fails: {Error}")]
        public static partial void ReadStillFailing(ILogger logger, string device, string what, string error);

        [LoggerMessage(5, LogLevel.Information, "Power poller for {Device}: reads work again")]
        public static partial void ReadRecovered(ILogger logger, string device);

        [LoggerMessage(6, LogLevel.Error, "Power poller for {Device}: poll failed unexpectedly")]
        public static partial void PollCrashed(ILogger logger, string device, Exception exception);

        [LoggerMessage(7, LogLevel.Error, "Power poller for {Device} failed unexpectedly; restarting")]
        public static partial void SessionCrashed(ILogger logger, string device, Exception exception);
    }
}
