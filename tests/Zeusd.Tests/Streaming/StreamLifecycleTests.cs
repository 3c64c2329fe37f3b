using System.Diagnostics;
using System.Text.Json;
using Zeusd.Tests.Integration;

namespace Zeusd.Tests.Streaming;

/// <summary>Streams against daemons of their own: pausing, freshness, zero devices, shutdown, poll-rate warnings.</summary>
public sealed class StreamLifecycleTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static async Task WaitForOutputAsync(DaemonProcess daemon, string text)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!daemon.Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the daemon never logged '{text}':\n{daemon.Output}");
            await Task.Delay(20);
        }
    }

    private static JsonElement Data(string chunk) => JsonDocument.Parse(chunk["data: ".Length..]).RootElement;

    [Fact]
    public async Task GpuStream_ClientLeaves_PollerPausesAndOtherGpusWereNeverPolled()
    {
        await using var daemon = await DaemonProcess.StartAsync(["--simulate", "--log-level", "debug"]);

        using (var stream = await SseConnection.OpenAsync(daemon.SocketPath!, "/gpu/stream_power?gpu_ids=1"))
        {
            await stream.ReadEventsAsync(2, Timeout);
            await WaitForOutputAsync(daemon, "Power poller for GPU 1 resumed");
        }

        await WaitForOutputAsync(daemon, "Power poller for GPU 1 paused");
        Assert.DoesNotContain("Power poller for GPU 0 resumed", daemon.Output);
        Assert.DoesNotContain("Power poller for GPU 2 resumed", daemon.Output);
        Assert.DoesNotContain("Power poller for CPU", daemon.Output);
    }

    [Fact]
    public async Task GpuStream_SecondSessionAfterAPause_FirstEventIsFreshAndPrompt()
    {
        // A 500 ms period makes a left-over sample easy to tell from a fresh one.
        await using var daemon = await DaemonProcess.StartAsync(["--simulate", "--log-level", "debug", "--gpu-power-poll-hz", "2"]);
        long firstSessionTimestamp;
        using (var first = await SseConnection.OpenAsync(daemon.SocketPath!, "/gpu/stream_power?gpu_ids=0"))
        {
            firstSessionTimestamp = Data((await first.ReadEventsAsync(1, Timeout))[0]).GetProperty("timestamp_ms").GetInt64();
        }
        await WaitForOutputAsync(daemon, "Power poller for GPU 0 paused");
        // Real time must pass here: the daemon runs on the system clock.
        await Task.Delay(TimeSpan.FromSeconds(1.2));

        using var second = await SseConnection.OpenAsync(daemon.SocketPath!, "/gpu/stream_power?gpu_ids=0");
        var clock = Stopwatch.StartNew();
        string firstEvent = (await second.ReadEventsAsync(1, Timeout))[0];
        var waited = clock.Elapsed;

        long timestamp = Data(firstEvent).GetProperty("timestamp_ms").GetInt64();
        Assert.True(timestamp >= second.SentAtMs - 500, $"first event stamped {second.SentAtMs - timestamp} ms before subscribing");
        Assert.True(timestamp > firstSessionTimestamp + 1000);
        Assert.True(waited < TimeSpan.FromMilliseconds(500), $"first event took {waited.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task CpuStream_SecondSessionAfterAPause_FirstEventIsNewlyMeasured()
    {
        await using var daemon = await DaemonProcess.StartAsync(["--simulate", "--log-level", "debug", "--cpu-power-poll-hz", "4"]);
        using (var first = await SseConnection.OpenAsync(daemon.SocketPath!, "/cpu/stream_power?cpu_ids=0"))
        {
            await first.ReadEventsAsync(1, Timeout);
        }
        await WaitForOutputAsync(daemon, "Power poller for CPU 0 paused");
        await Task.Delay(TimeSpan.FromSeconds(0.6));

        using var second = await SseConnection.OpenAsync(daemon.SocketPath!, "/cpu/stream_power?cpu_ids=0");
        var clock = Stopwatch.StartNew();
        string firstEvent = (await second.ReadEventsAsync(1, Timeout))[0];

        // The first sample needs a baseline one period (250 ms) earlier, so it is stamped after subscribing.
        Assert.True(Data(firstEvent).GetProperty("timestamp_ms").GetInt64() >= second.SentAtMs);
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(750), $"first event took {clock.Elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task Stream_ZeroDevices_Is200WithHeadersAndNoEvents()
    {
        string emptyRapl = DaemonProcess.NewTempDirectory();
        await using var daemon = await DaemonProcess.StartAsync(["--enable", "gpu-read,cpu-read"],
            environment: new Dictionary<string, string> { ["ZEUSD_RAPL_DIR"] = emptyRapl });
        using var client = daemon.CreateClient();
        var discover = Json.Parse((await client.CallAsync("/discover")).Body);
        Assert.Equal(0, discover.GetProperty("gpus").GetArrayLength());
        Assert.Equal(0, discover.GetProperty("cpus").GetArrayLength());

        using var gpu = await SseConnection.OpenAsync(daemon.SocketPath!, "/gpu/stream_power");
        using var cpu = await SseConnection.OpenAsync(daemon.SocketPath!, "/cpu/stream_power");

        Assert.Equal("HTTP/1.1 200 OK", gpu.StatusLine);
        Assert.Equal("text/event-stream", gpu.Header("Content-Type"));
        Assert.Equal("HTTP/1.1 200 OK", cpu.StatusLine);
        Assert.Equal("text/event-stream", cpu.Header("Content-Type"));
        Assert.False(await gpu.ClosedWithinAsync(TimeSpan.FromSeconds(1)));
        Assert.False(await cpu.ClosedWithinAsync(TimeSpan.FromMilliseconds(100)));
        Assert.Equal(0, gpu.Unread);
        Assert.Equal(0, cpu.Unread);
        Assert.Equal("Unknown GPU indices: [0]. Available: []",
            Json.Parse((await client.CallAsync("/gpu/stream_power?gpu_ids=0")).Body).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Sigterm_OpenStreams_EndsThemAndExitsZeroPromptly()
    {
        await using var daemon = await DaemonProcess.StartAsync(["--simulate"]);
        using var gpu = await SseConnection.OpenAsync(daemon.SocketPath!, "/gpu/stream_power");
        using var cpu = await SseConnection.OpenAsync(daemon.SocketPath!, "/cpu/stream_power");
        await gpu.ReadEventsAsync(1, Timeout);
        await cpu.ReadEventsAsync(1, Timeout);

        var clock = Stopwatch.StartNew();
        int exit = await daemon.StopAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, exit);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"exit took {clock.Elapsed.TotalMilliseconds} ms");
        // Each stream ends with the terminating chunk, not a cut-off body.
        string? chunk;
        while ((chunk = await gpu.ReadChunkAsync(Timeout)) is not null and not "")
        {
        }
        Assert.Equal("", chunk);
        Assert.True(await gpu.ClosedWithinAsync(Timeout));
    }

    [Fact]
    public async Task Serve_PollPeriodUnderOneMillisecond_WarnsAndStillStreams()
    {
        await using var daemon = await DaemonProcess.StartAsync(["--simulate", "--gpu-power-poll-hz", "4000", "--cpu-power-poll-hz", "0"]);

        using var stream = await SseConnection.OpenAsync(daemon.SocketPath!, "/gpu/stream_power?gpu_ids=0");
        await stream.ReadEventsAsync(3, Timeout);

        Assert.Contains("GPU power polling: from the requested polling frequency, the interval between polling will be 250 us. "
            + "A high polling frequency can in turn increase the power draw of the processor.", daemon.Output);
        Assert.DoesNotContain("CPU power polling", daemon.Output);
    }

    [Fact]
    public async Task Serve_GpuReadDisabled_HasNoGpuStream()
    {
        await using var daemon = await DaemonProcess.StartAsync(["--simulate", "--enable", "cpu-read"]);
        using var client = daemon.CreateClient();

        Assert.Equal(404, (await client.CallAsync("/gpu/stream_power")).Status);
        using var cpu = await SseConnection.OpenAsync(daemon.SocketPath!, "/cpu/stream_power?cpu_ids=0");
        await cpu.ReadEventsAsync(1, Timeout);
    }
}
