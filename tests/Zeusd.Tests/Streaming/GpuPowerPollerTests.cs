using System.Text;
using System.Text.Json;
using Zeusd.Devices;
using Zeusd.Devices.Gpu;
using Zeusd.Streaming;

using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Streaming;

public sealed class GpuPowerPollerTests : IAsyncLifetime
{
    private readonly PollerHandles _handles = new();
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(50);
    private readonly ManualTimeProvider _clock = new();
    private readonly ScriptedGpu _gpu = new();
    private readonly CapturingLogger _log = new();
    private readonly GpuPowerPoller _poller;

    public GpuPowerPollerTests()
    {
        _poller = new GpuPowerPoller(3, _handles.Of<IGpu>(_gpu, "GPU", 3), Period, _clock, _log);
        _poller.Start();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _poller.DisposeAsync();
        await _handles.DisposeAsync();
    }

    private static JsonElement Event(StreamSample sample) =>
        JsonDocument.Parse(Encoding.UTF8.GetString(sample.Event.Span)["data: ".Length..]).RootElement;

    private static async Task WokenAsync(AsyncSignal signal) => await signal.WaitAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    /// <summary>One period passes and the poller reads once.</summary>
    private async Task TickAsync()
    {
        _clock.Advance(Period);
        await _gpu.WaitForReadAsync();
    }

    [Fact]
    public void Start_NoSubscriber_NeverReadsTheGpu()
    {
        _clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(0, _gpu.ReadCount);
        Assert.Equal(0, _clock.ArmedTimers);
    }

    [Fact]
    public async Task Subscribe_FirstSubscriber_ReadsAtOnceAndPublishes()
    {
        var subscriber = new AsyncSignal();

        _poller.Subscribe(subscriber);
        await WokenAsync(subscriber);

        var sample = _poller.Slot.Latest!;
        var json = Event(sample);
        Assert.Equal(3, json.GetProperty("gpu_id").GetInt32());
        Assert.Equal(100_000u, json.GetProperty("power_mw").GetUInt32());
        Assert.Equal((ulong)_clock.GetUtcNow().ToUnixTimeMilliseconds(), json.GetProperty("timestamp_ms").GetUInt64());
    }

    [Fact]
    public async Task Poll_ManySubscribers_ReadsOncePerPeriod()
    {
        var subscribers = Enumerable.Range(0, 200).Select(_ => new AsyncSignal()).ToArray();
        foreach (var subscriber in subscribers)
        {
            _poller.Subscribe(subscriber);
        }
        await _gpu.WaitForReadAsync();

        for (int i = 0; i < 5; i++)
        {
            _gpu.PowerMw += 1;
            await TickAsync();
        }

        Assert.Equal(6, _gpu.ReadCount);
    }

    [Fact]
    public async Task Poll_UnchangedPower_PublishesOnlyChanges()
    {
        var subscriber = new AsyncSignal();
        _poller.Subscribe(subscriber);
        await WokenAsync(subscriber);

        await TickAsync();
        await TickAsync();
        _gpu.PowerMw = 120_000;
        await TickAsync();
        await WokenAsync(subscriber);

        // The two unchanged reads published nothing: the change is the second sample.
        Assert.Equal(2, _poller.Slot.Latest!.Sequence);
        Assert.Equal(120_000u, Event(_poller.Slot.Latest).GetProperty("power_mw").GetUInt32());
    }

    [Fact]
    public async Task Poll_ReadFails_PublishesNothingAndLogsOnceThenRecovers()
    {
        var subscriber = new AsyncSignal();
        _poller.Subscribe(subscriber);
        await WokenAsync(subscriber);
        _gpu.Failure = new DeviceException(DeviceErrorKind.DriverFailure, "NVML error: an internal driver error occured");

        await TickAsync();
        await TickAsync();
        _gpu.Failure = null;
        _gpu.PowerMw = 90_000;
        await TickAsync();
        await WokenAsync(subscriber);

        Assert.Equal(2, _poller.Slot.Latest!.Sequence);
        Assert.Single(_log.Lines, line => line.StartsWith("Warning:", StringComparison.Ordinal)
            && line.Contains("GPU 3: reading power failed: NVML error: an internal driver error occured"));
        await _log.WaitForAsync("reads work again");
    }

    [Fact]
    public async Task Unsubscribe_LastSubscriber_PausesWithoutFurtherReadsAndForgetsTheSample()
    {
        var subscriber = new AsyncSignal();
        _poller.Subscribe(subscriber);
        await WokenAsync(subscriber);

        _poller.Unsubscribe(subscriber);
        _clock.Advance(Period);
        await _log.WaitForAsync("Power poller for GPU 3 paused");
        _clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(1, _gpu.ReadCount);
        Assert.Null(_poller.Slot.Latest);
        Assert.Equal(0, _clock.ArmedTimers);
    }

    [Fact]
    public async Task DisposeAsync_WhileSubscribed_StopsWithoutFurtherReads()
    {
        var subscriber = new AsyncSignal();
        _poller.Subscribe(subscriber);
        await WokenAsync(subscriber);

        await _poller.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        _clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(1, _gpu.ReadCount);
        Assert.Equal(0, _clock.ArmedTimers);
    }

    [Fact]
    public async Task Subscribe_AfterPause_StartsANewSessionThatPublishesEvenAnUnchangedValue()
    {
        var first = new AsyncSignal();
        _poller.Subscribe(first);
        await WokenAsync(first);
        _poller.Unsubscribe(first);
        _clock.Advance(Period);
        await _log.WaitForAsync("paused");
        _clock.Advance(TimeSpan.FromMinutes(5));

        var second = new AsyncSignal();
        _poller.Subscribe(second);
        await WokenAsync(second);

        var sample = _poller.Slot.Latest!;
        Assert.Equal(2, sample.Sequence);
        Assert.Equal(_clock.GetTimestamp(), sample.PolledAt);
        Assert.Equal(100_000u, Event(sample).GetProperty("power_mw").GetUInt32());
    }
}
