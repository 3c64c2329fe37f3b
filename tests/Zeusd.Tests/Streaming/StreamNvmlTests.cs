using System.Diagnostics;
using System.Text.Json;
using Zeusd.Tests.Integration;
using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Streaming;

/// <summary>
/// <c>/gpu/stream_power</c> on the fake NVML, which logs every call it receives: how often the pollers really read
/// the hardware, and what subscribers see when the power holds still. One daemon per test.
/// </summary>
public sealed class StreamNvmlTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly FakeNvml _nvml = new(gpuCount: 2);

    public void Dispose() => _nvml.Dispose();

    private Task<DaemonProcess> StartAsync(params string[] args) =>
        DaemonProcess.StartAsync(["--gpu-backend", "nvml", "--enable", "gpu-read", .. args], _nvml.Environment);

    private int PowerReads(long mark, int gpu) =>
        _nvml.CallsAfter(mark).Count(c => c.Function == FakeNvml.GetFieldValues && c.Gpu == gpu);

    private static JsonElement Data(string chunk) => JsonDocument.Parse(chunk["data: ".Length..]).RootElement;

    private static async Task WaitForOutputAsync(DaemonProcess daemon, string text)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!daemon.Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the daemon never logged '{text}':\n{daemon.Output}");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task GpuStream_TwentySubscribersOnOneGpu_OneReadPerPeriodAndNoneOfTheOtherGpu()
    {
        await using var daemon = await StartAsync("--gpu-power-poll-hz", "10");
        var streams = new List<SseConnection>();
        try
        {
            for (int i = 0; i < 20; i++)
            {
                streams.Add(await SseConnection.OpenAsync(daemon.SocketPath!, "/gpu/stream_power?gpu_ids=0"));
            }
            foreach (var stream in streams)
            {
                await stream.ReadEventsAsync(1, Timeout);
            }

            long mark = _nvml.Mark();
            var clock = Stopwatch.StartNew();
            // Real time has to pass: the daemon's pollers run on the system clock.
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            int reads = PowerReads(mark, 0);
            double periods = clock.Elapsed.TotalMilliseconds / 100;

            Assert.InRange(reads, 3, (int)periods + 2);
            Assert.Equal(0, PowerReads(0, 1));
        }
        finally
        {
            streams.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task GpuStream_LastSubscriberLeaves_NoMoreReads()
    {
        await using var daemon = await StartAsync("--gpu-power-poll-hz", "20", "--log-level", "debug");
        using (var first = await SseConnection.OpenAsync(daemon.SocketPath!, "/gpu/stream_power"))
        using (var second = await SseConnection.OpenAsync(daemon.SocketPath!, "/gpu/stream_power?gpu_ids=1"))
        {
            await first.ReadEventsAsync(4, Timeout);
            await second.ReadEventsAsync(2, Timeout);
        }

        await WaitForOutputAsync(daemon, "Power poller for GPU 0 paused");
        await WaitForOutputAsync(daemon, "Power poller for GPU 1 paused");
        long mark = _nvml.Mark();
        await Task.Delay(TimeSpan.FromMilliseconds(500));

        Assert.Equal(0, PowerReads(mark, 0));
        Assert.Equal(0, PowerReads(mark, 1));
    }

    [Fact]
    public async Task GpuStream_SilentStreamClientLeaves_DetectedWithoutAWriteAndPollingStops()
    {
        // Constant power: after the first event nothing is written, so only the closed connection can tell.
        _nvml.SetPower(0, 120_000);
        await using var daemon = await StartAsync("--gpu-power-poll-hz", "20", "--log-level", "debug");
        using (var stream = await SseConnection.OpenAsync(daemon.SocketPath!, "/gpu/stream_power?gpu_ids=0"))
        {
            await stream.ReadEventsAsync(1, Timeout);
            Assert.Null(await stream.ReadChunkAsync(TimeSpan.FromMilliseconds(200)));
        }

        await WaitForOutputAsync(daemon, "GPU power stream closed (client left: True)");
        await WaitForOutputAsync(daemon, "Power poller for GPU 0 paused");
        long mark = _nvml.Mark();
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.Equal(0, PowerReads(mark, 0));
    }

    [Fact]
    public async Task GpuStream_ConstantPower_NoRepeatsButANewcomerGetsAFreshFirstEvent()
    {
        _nvml.SetPower(0, 150_000);
        await using var daemon = await StartAsync("--gpu-power-poll-hz", "20");
        using var early = await SseConnection.OpenAsync(daemon.SocketPath!, "/gpu/stream_power?gpu_ids=0");
        var first = Data((await early.ReadEventsAsync(1, Timeout))[0]);
        Assert.Equal(150_000, first.GetProperty("power_mw").GetInt32());
        // No heartbeat: an unchanged reading is not sent again.
        Assert.Null(await early.ReadChunkAsync(TimeSpan.FromMilliseconds(600)));

        using var late = await SseConnection.OpenAsync(daemon.SocketPath!, "/gpu/stream_power?gpu_ids=0");
        var clock = Stopwatch.StartNew();
        var lateFirst = Data((await late.ReadEventsAsync(1, Timeout))[0]);

        // The stored sample is over 600 ms old; the newcomer gets the next poll instead (period 50 ms).
        Assert.Equal(150_000, lateFirst.GetProperty("power_mw").GetInt32());
        Assert.True(lateFirst.GetProperty("timestamp_ms").GetInt64() >= late.SentAtMs - 50,
            $"first event is {late.SentAtMs - lateFirst.GetProperty("timestamp_ms").GetInt64()} ms older than the request");
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(400), $"first event took {clock.Elapsed.TotalMilliseconds} ms");

        _nvml.SetPower(0, 160_000);
        Assert.Equal(160_000, Data((await late.ReadEventsAsync(1, Timeout))[0]).GetProperty("power_mw").GetInt32());
    }

    [Fact]
    public async Task GpuStream_PowerReadFails_LogsAndResumesWhenTheGpuRecovers()
    {
        _nvml.SetPower(1, 90_000);
        await using var daemon = await StartAsync("--gpu-power-poll-hz", "20");
        using var stream = await SseConnection.OpenAsync(daemon.SocketPath!, "/gpu/stream_power?gpu_ids=1");
        await stream.ReadEventsAsync(1, Timeout);

        _nvml.SetFault(1, FakeNvml.GetFieldValues, "unknown");
        await WaitForOutputAsync(daemon, "Power poller for GPU 1: reading power failed: NVML error:");
        _nvml.ClearFault(1, FakeNvml.GetFieldValues);
        _nvml.SetPower(1, 95_000);

        Assert.Equal(95_000, Data((await stream.ReadEventsAsync(1, Timeout))[0]).GetProperty("power_mw").GetInt32());
    }
}
