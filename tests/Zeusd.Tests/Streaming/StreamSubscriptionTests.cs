using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Zeusd.Devices.Gpu;
using Zeusd.Streaming;

using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Streaming;

public sealed class StreamSubscriptionTests : IAsyncLifetime
{
    private readonly PollerHandles _handles = new();
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(50);
    private readonly ManualTimeProvider _clock = new();
    private readonly ScriptedGpu _gpu = new();
    private readonly GpuPowerPoller _poller;
    private readonly AsyncSignal _existing = new();

    public StreamSubscriptionTests()
    {
        _poller = new GpuPowerPoller(0, _handles.Of<IGpu>(_gpu, "GPU", 0), Period, _clock, new CapturingLogger());
        _poller.Start();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _poller.DisposeAsync();
        await _handles.DisposeAsync();
    }

    private static async Task<string> PendingTextAsync(StreamSubscription subscription)
    {
        var pipe = new Pipe();
        subscription.WritePending(pipe.Writer, asChunks: false);
        await pipe.Writer.CompleteAsync();
        var result = await pipe.Reader.ReadAsync();
        return Encoding.UTF8.GetString(result.Buffer.ToArray());
    }

    /// <summary>A long-lived subscriber keeps the poller running; the first sample is out.</summary>
    private async Task RunningSessionAsync()
    {
        _poller.Subscribe(_existing);
        await _existing.WaitAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task New_StoredSampleYoungerThanAPeriod_IsDeliveredAtOnce()
    {
        await RunningSessionAsync();
        _clock.Advance(Period / 2);

        using var subscription = new StreamSubscription([_poller], _clock);

        Assert.True(subscription.Signal.WaitAsync().IsCompleted);
        Assert.Contains("\"power_mw\":100000", await PendingTextAsync(subscription));
    }

    [Fact]
    public async Task New_StoredSampleOlderThanAPeriod_WaitsForTheNextPollWhichIsPublishedThoughUnchanged()
    {
        await RunningSessionAsync();
        for (int i = 0; i < 4; i++)
        {
            _clock.Advance(Period);
            await _gpu.WaitForReadAsync();
        }

        using var subscription = new StreamSubscription([_poller], _clock);
        var woken = subscription.Signal.WaitAsync().AsTask();
        Assert.False(woken.IsCompleted);
        Assert.Equal("", await PendingTextAsync(subscription));
        _clock.Advance(Period);
        await woken.WaitAsync(TimeSpan.FromSeconds(10));

        long now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        Assert.Equal($"data: {{\"timestamp_ms\":{now},\"gpu_id\":0,\"power_mw\":100000}}\n\n", await PendingTextAsync(subscription));
    }

    [Fact]
    public async Task WritePending_SeveralPublishesWhileBusy_WritesOnlyTheNewest()
    {
        await RunningSessionAsync();
        using var subscription = new StreamSubscription([_poller], _clock);
        await PendingTextAsync(subscription);

        for (uint power = 1; power <= 3; power++)
        {
            _gpu.PowerMw = power;
            _clock.Advance(Period);
            await _gpu.WaitForReadAsync();
            await _existing.WaitAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        }

        string text = await PendingTextAsync(subscription);
        Assert.Equal(1, text.Split("data: ").Length - 1);
        Assert.Contains("\"power_mw\":3}", text);
        Assert.Equal("", await PendingTextAsync(subscription));
    }

    [Fact]
    public async Task Dispose_LastSubscription_LetsThePollerPause()
    {
        var log = new CapturingLogger();
        await using var poller = new GpuPowerPoller(1, _handles.Of<IGpu>(_gpu, "GPU", 1), Period, _clock, log);
        poller.Start();
        var subscription = new StreamSubscription([poller], _clock);
        await _gpu.WaitForReadAsync();

        subscription.Dispose();
        _clock.Advance(Period);

        await log.WaitForAsync("Power poller for GPU 1 paused");
        Assert.Equal(0, poller.Slot.SubscriberCount);
    }
}
