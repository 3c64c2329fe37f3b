using System.Text.Json;
using System.Text.RegularExpressions;
using Zeusd.Tests.Integration;

namespace Zeusd.Tests.Streaming;

/// <summary><c>/gpu/stream_power</c> and <c>/cpu/stream_power</c> on the simulated node (4 GPUs, 2 CPU packages).</summary>
public sealed partial class StreamPowerTests(SimulatedDaemonFixture node) : IClassFixture<SimulatedDaemonFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [GeneratedRegex("""^data: \{"timestamp_ms":\d+,"gpu_id":(\d+),"power_mw":\d+\}\n\n$""")]
    private static partial Regex GpuEvent();

    [GeneratedRegex("""^data: \{"timestamp_ms":\d+,"cpu_id":(\d+),"cpu_mw":\d+,"dram_mw":(\d+|null)\}\n\n$""")]
    private static partial Regex CpuEvent();

    private Task<SseConnection> OpenAsync(string pathAndQuery) => SseConnection.OpenAsync(node.Daemon.SocketPath!, pathAndQuery);

    [Fact]
    public async Task GpuStream_Response_HasExactHeadersAndOneEventPerChunk()
    {
        using var stream = await OpenAsync("/gpu/stream_power");

        var events = await stream.ReadEventsAsync(8, Timeout);

        Assert.Equal("HTTP/1.1 200 OK", stream.StatusLine);
        Assert.Contains("Content-Type: text/event-stream", stream.Head);
        Assert.Contains("Cache-Control: no-cache", stream.Head);
        Assert.Contains("Transfer-Encoding: chunked", stream.Head);
        Assert.Null(stream.Header("Content-Length"));
        Assert.All(events, e => Assert.Matches(GpuEvent(), e));
        var ids = events.Select(e => int.Parse(GpuEvent().Match(e).Groups[1].Value)).ToHashSet();
        Assert.Equal([0, 1, 2, 3], ids.Order());
    }

    [Fact]
    public async Task CpuStream_Response_HasExactHeadersAndDramNullWithoutDramZone()
    {
        using var stream = await OpenAsync("/cpu/stream_power");

        var events = await stream.ReadEventsAsync(4, Timeout);

        Assert.Equal("HTTP/1.1 200 OK", stream.StatusLine);
        Assert.Equal("text/event-stream", stream.Header("Content-Type"));
        Assert.Equal("no-cache", stream.Header("Cache-Control"));
        Assert.All(events, e => Assert.Matches(CpuEvent(), e));
        // The simulated package 0 has a DRAM zone, package 1 has none.
        var dramById = events.Select(e => CpuEvent().Match(e)).ToLookup(m => m.Groups[1].Value, m => m.Groups[2].Value);
        Assert.All(dramById["0"], dram => Assert.NotEqual("null", dram));
        Assert.All(dramById["1"], dram => Assert.Equal("null", dram));
        Assert.NotEmpty(dramById["0"]);
        Assert.NotEmpty(dramById["1"]);
    }

    [Theory]
    [InlineData("/gpu/stream_power?gpu_ids=2", new[] { 2 })]
    [InlineData("/gpu/stream_power?gpu_ids=3,1", new[] { 1, 3 })]
    [InlineData("/gpu/stream_power?gpu_ids=0%2C2", new[] { 0, 2 })]
    [InlineData("/gpu/stream_power?gpu_ids=+1,%201,1", new[] { 1 })]
    public async Task GpuStream_GpuIds_SendsOnlyThoseGpus(string url, int[] expected)
    {
        using var stream = await OpenAsync(url);

        var events = await stream.ReadEventsAsync(6 * expected.Length, Timeout);

        var ids = events.Select(e => int.Parse(GpuEvent().Match(e).Groups[1].Value)).ToHashSet();
        Assert.Equal(expected, ids.Order());
    }

    [Fact]
    public async Task CpuStream_CpuIds_SendsOnlyThatPackage()
    {
        using var stream = await OpenAsync("/cpu/stream_power?cpu_ids=1");

        var events = await stream.ReadEventsAsync(3, Timeout);

        Assert.All(events, e => Assert.Equal("1", CpuEvent().Match(e).Groups[1].Value));
    }

    [Theory]
    [InlineData("/gpu/stream_power?gpu_id=0", "Query deserialize error: unknown field `gpu_id`, expected `gpu_ids`")]
    [InlineData("/gpu/stream_power?gpu_ids=0&gpu_ids=1", "Query deserialize error: duplicate field `gpu_ids`")]
    [InlineData("/cpu/stream_power?gpu_ids=0", "Query deserialize error: unknown field `gpu_ids`, expected `cpu_ids`")]
    public async Task Stream_BadQuery_Is400Text(string url, string expected)
    {
        var (status, body, response) = await node.Client.CallAsync(url);

        Assert.Equal(400, status);
        Assert.Equal("text/plain; charset=utf-8", response.ContentType());
        Assert.Equal(expected, body);
    }

    [Theory]
    [InlineData("/gpu/stream_power?gpu_ids=", "gpu_ids must contain at least one GPU index")]
    [InlineData("/gpu/stream_power?gpu_ids=0,,1", "gpu_ids contains an empty GPU index")]
    [InlineData("/gpu/stream_power?gpu_ids=0,x", "Invalid GPU index: x")]
    [InlineData("/gpu/stream_power?gpu_ids=7,0,5", "Unknown GPU indices: [5, 7]. Available: [0, 1, 2, 3]")]
    [InlineData("/cpu/stream_power?cpu_ids=%20", "cpu_ids must contain at least one CPU index")]
    [InlineData("/cpu/stream_power?cpu_ids=-1", "Invalid CPU index: -1")]
    [InlineData("/cpu/stream_power?cpu_ids=1,2", "Unknown CPU indices: [2]. Available: [0, 1]")]
    public async Task Stream_BadIds_Is400Json(string url, string expected)
    {
        var (status, body, response) = await node.Client.CallAsync(url);

        Assert.Equal(400, status);
        Assert.Equal("application/json", response.ContentType());
        Assert.Equal(expected, Json.Parse(body).GetProperty("error").GetString());
    }

    [Fact]
    public async Task GpuStream_HttpClientWithoutCharsetHandling_SeesExactContentType()
    {
        using var client = node.Daemon.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/gpu/stream_power?gpu_ids=0");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var body = new StreamReader(await response.Content.ReadAsStreamAsync());

        string? line = await body.ReadLineAsync().WaitAsync(Timeout);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/event-stream", response.ContentType());
        Assert.StartsWith("data: {\"timestamp_ms\":", line);
        Assert.Equal(0, JsonDocument.Parse(line!["data: ".Length..]).RootElement.GetProperty("gpu_id").GetInt32());
    }

    [Fact]
    public async Task GpuStream_Http10Client_GetsBareEventsUntilTheConnectionCloses()
    {
        string raw = await UnixSocketHttp.SendRawAsync(node.Daemon.SocketPath!,
            "GET /gpu/stream_power?gpu_ids=1 HTTP/1.0\r\nHost: localhost\r\n\r\n", maxBytes: 400, timeout: Timeout);

        int headEnd = raw.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        string[] head = raw[..headEnd].Split("\r\n");
        Assert.Equal("HTTP/1.1 200 OK", head[0]);
        Assert.Contains("Content-Type: text/event-stream", head);
        Assert.DoesNotContain(head, line => line.StartsWith("Transfer-Encoding", StringComparison.OrdinalIgnoreCase));
        string body = raw[(headEnd + 4)..];
        Assert.StartsWith("data: {\"timestamp_ms\":", body);
        Assert.Matches(GpuEvent(), body[..(body.IndexOf("\n\n", StringComparison.Ordinal) + 2)]);
    }

    [Fact]
    public async Task GpuStream_WrongMethod_Is404Empty()
    {
        var (status, body, _) = await node.Client.CallPostAsync("/gpu/stream_power");

        Assert.Equal(404, status);
        Assert.Equal("", body);
    }
}
