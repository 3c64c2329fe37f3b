using Zeusd.Tests.Integration;

namespace Zeusd.Tests.Streaming;

/// <summary><c>--max-streams</c> against the daemon: clients that open streams and never read them (issue 12).</summary>
public sealed class StreamLimitTests
{
    private const string Refusal =
        "{\"error\":\"Too many power streams: 30 are open, the most this server allows (--max-streams). Retry later.\"}";

    [Fact]
    public async Task Streams_NeverReadingClientsBeyondTheLimit_Get503AndMemoryStaysBounded()
    {
        const int limit = 30;
        // A fast poll rate fills the never-read streams' buffers quickly.
        await using var daemon = await DaemonProcess.StartAsync(["--simulate", "--max-streams", limit.ToString(), "--gpu-power-poll-hz", "500"]);
        using var client = daemon.CreateClient(TimeSpan.FromSeconds(10));
        // Code paths run once first, so what is measured below is what the streams hold.
        using (var warmUp = await SseConnection.OpenAsync(daemon.SocketPath!, "/gpu/stream_power"))
        {
            await warmUp.ReadChunkAsync(TimeSpan.FromSeconds(10));
        }
        await Task.Delay(200);
        long before = daemon.ResidentBytes;

        var open = new List<SseConnection>();
        for (int i = 0; i < limit; i++)
        {
            var stream = await SseConnection.OpenAsync(daemon.SocketPath!, i % 2 == 0 ? "/gpu/stream_power" : "/cpu/stream_power");
            open.Add(stream);
            Assert.Equal("HTTP/1.1 200 OK", stream.StatusLine);
        }
        // Nobody reads: the streams back up to their bound and then wait.
        await Task.Delay(TimeSpan.FromSeconds(2));
        long full = daemon.ResidentBytes;
        for (int i = 0; i < 300; i++)
        {
            var (status, body, response) = await client.CallAsync(i % 2 == 0 ? "/gpu/stream_power?gpu_ids=1" : "/cpu/stream_power");
            Assert.Equal(503, status);
            Assert.Equal(Refusal, body);
            Assert.Equal("1", response.Headers.GetValues("Retry-After").Single());
        }
        long afterRefusals = daemon.ResidentBytes;

        // Each backed-up stream holds about 64 KiB (buffers and connection); the rest is the runtime's own growth
        // (thread pool, GC budget), which does not scale with the streams.
        Assert.True(full - before < limit * (256L << 10) + (16L << 20), $"RSS grew by {(full - before) >> 10} KiB for {limit} streams");
        Assert.True(afterRefusals - full < 4L << 20, $"RSS grew by {(afterRefusals - full) >> 10} KiB for 300 refusals");
        // The other routes still answer.
        Assert.Equal(200, (await client.CallAsync("/gpu/get_power")).Status);

        // A stream that ends gives its place back.
        open[0].Dispose();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        SseConnection? replacement = null;
        while (replacement is null)
        {
            var attempt = await SseConnection.OpenAsync(daemon.SocketPath!, "/gpu/stream_power?gpu_ids=0");
            if (attempt.StatusLine == "HTTP/1.1 200 OK")
            {
                replacement = attempt;
                break;
            }
            attempt.Dispose();
            Assert.True(DateTime.UtcNow < deadline, "no place freed after a client left");
            await Task.Delay(50);
        }
        Assert.NotNull(await replacement.ReadChunkAsync(TimeSpan.FromSeconds(10)));
        replacement.Dispose();
        open.ForEach(stream => stream.Dispose());
    }
}
