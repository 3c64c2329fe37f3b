using System.Text;
using System.Text.Json;
using Zeusd.Devices;
using Zeusd.Devices.Cpu;
using Zeusd.Streaming;

using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Streaming;

public sealed class CpuPowerPollerTests : IAsyncLifetime
{
    private readonly PollerHandles _handles = new();
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(100);
    private readonly ManualTimeProvider _clock = new();
    private readonly CapturingLogger _log = new();
    private readonly AsyncSignal _subscriber = new();
    private ScriptedCpuPackage _package = null!;
    private CpuPowerPoller _poller = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await (_poller?.DisposeAsync() ?? ValueTask.CompletedTask);
        await _handles.DisposeAsync();
    }

    /// <summary>Starts a poller on a package and subscribes; returns once the baseline was read.</summary>
    private async Task StartAsync(bool hasDram)
    {
        _package = new ScriptedCpuPackage(hasDram);
        _poller = new CpuPowerPoller(1, _handles.Of<ICpuPackage>(_package, "CPU", 1), Period, _clock, _log);
        _poller.Start();
        _poller.Subscribe(_subscriber);
        await _package.WaitForReadAsync();
    }

    /// <summary>The counters advance by the given energy over the next period; returns the event then published.</summary>
    private async Task<JsonElement> StepAsync(ulong packageUj, ulong dramUj, int periods = 1)
    {
        Interlocked.Add(ref _package.PackageUj, packageUj);
        Interlocked.Add(ref _package.DramUj, dramUj);
        for (int i = 0; i < periods; i++)
        {
            _clock.Advance(Period);
            await _package.WaitForReadAsync();
        }
        await _subscriber.WaitAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        return Event(_poller.Slot.Latest!);
    }

    private static JsonElement Event(StreamSample sample) =>
        JsonDocument.Parse(Encoding.UTF8.GetString(sample.Event.Span)["data: ".Length..]).RootElement;

    [Fact]
    public async Task Poll_OnePeriodAfterBaseline_PowerIsEnergyDeltaOverNominalPeriod()
    {
        await StartAsync(hasDram: true);
        Assert.Null(_poller.Slot.Latest);

        // 10 J in 100 ms is 100 W; 1.5 J of DRAM is 15 W.
        var json = await StepAsync(10_000_000, 1_500_000);

        Assert.Equal(1, json.GetProperty("cpu_id").GetInt32());
        Assert.Equal(100_000u, json.GetProperty("cpu_mw").GetUInt32());
        Assert.Equal(15_000u, json.GetProperty("dram_mw").GetUInt32());
        Assert.Equal(1, _poller.Slot.Latest!.Sequence);
    }

    [Fact]
    public async Task Poll_PackageWithoutDram_DramIsNull()
    {
        await StartAsync(hasDram: false);

        var json = await StepAsync(2_000_000, 0);

        Assert.Equal(20_000u, json.GetProperty("cpu_mw").GetUInt32());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("dram_mw").ValueKind);
    }

    [Fact]
    public async Task Poll_CounterWentBackwards_PowerIsZero()
    {
        await StartAsync(hasDram: false);
        await StepAsync(2_000_000, 0);

        Interlocked.Exchange(ref _package.PackageUj, 5);
        var json = await StepAsync(0, 0);

        Assert.Equal(0u, json.GetProperty("cpu_mw").GetUInt32());
    }

    [Fact]
    public async Task Poll_PackageReadFailsForOnePeriod_KeepsPowerThenAveragesOverBothPeriods()
    {
        await StartAsync(hasDram: true);
        await StepAsync(10_000_000, 1_000_000);

        _package.PackageFailure = new DeviceException(DeviceErrorKind.Io, "IOError: Input/output error");
        var duringFailure = await StepAsync(0, 2_000_000);
        _package.PackageFailure = null;
        var afterFailure = await StepAsync(30_000_000, 1_000_000);

        // The failed read kept the previous package power while DRAM moved on.
        Assert.Equal(100_000u, duringFailure.GetProperty("cpu_mw").GetUInt32());
        Assert.Equal(20_000u, duringFailure.GetProperty("dram_mw").GetUInt32());
        // 30 J since the last good read, two periods ago: 150 W, not a 300 W spike.
        Assert.Equal(150_000u, afterFailure.GetProperty("cpu_mw").GetUInt32());
        Assert.Contains(_log.Lines, line => line.Contains("CPU 1: reading package energy failed: IOError: Input/output error"));
    }

    [Fact]
    public async Task BeginSession_BaselineReadFails_RetriesEachPeriod()
    {
        _package = new ScriptedCpuPackage(hasDram: false) { PackageFailure = new DeviceException(DeviceErrorKind.Io, "IOError: busy") };
        _poller = new CpuPowerPoller(0, _handles.Of<ICpuPackage>(_package, "CPU", 0), Period, _clock, _log);
        _poller.Start();
        _poller.Subscribe(_subscriber);
        await _package.WaitForReadAsync();

        _package.PackageFailure = null;
        _clock.Advance(Period);
        await _package.WaitForReadAsync();
        var json = await StepAsync(1_000_000, 0);

        Assert.Equal(10_000u, json.GetProperty("cpu_mw").GetUInt32());
    }

    [Fact]
    public async Task Poll_PeriodUnderTheTimersFinest_TicksEveryMillisecondAndStillComputesTruePower()
    {
        _package = new ScriptedCpuPackage(hasDram: false);
        _poller = new CpuPowerPoller(0, _handles.Of<ICpuPackage>(_package, "CPU", 0), TimeSpan.FromMicroseconds(250), _clock, _log);
        _poller.Start();
        _poller.Subscribe(_subscriber);
        await _package.WaitForReadAsync();

        Interlocked.Add(ref _package.PackageUj, 3_000);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        await _package.WaitForReadAsync();
        await _subscriber.WaitAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        // 3 mJ in 1 ms is 3 W, although the nominal period is a quarter of that.
        Assert.Equal(3_000u, Event(_poller.Slot.Latest!).GetProperty("cpu_mw").GetUInt32());
    }

    [Fact]
    public async Task Poll_DramBaselineFails_DramIsNullForTheSession()
    {
        _package = new ScriptedCpuPackage(hasDram: true) { DramFailure = new DeviceException(DeviceErrorKind.Io, "IOError: gone") };
        _poller = new CpuPowerPoller(0, _handles.Of<ICpuPackage>(_package, "CPU", 0), Period, _clock, _log);
        _poller.Start();
        _poller.Subscribe(_subscriber);
        await _package.WaitForReadAsync();
        _package.DramFailure = null;

        var json = await StepAsync(1_000_000, 1_000_000);

        Assert.Equal(10_000u, json.GetProperty("cpu_mw").GetUInt32());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("dram_mw").ValueKind);
    }
}
