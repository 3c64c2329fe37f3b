using System.Diagnostics;
using System.Net;
using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Metrics;

public sealed class MetricsEndpointTests(MetricsDaemonFixture fixture) : IClassFixture<MetricsDaemonFixture>
{
    private static readonly TimeSpan NodeScrapeTimeout = Zeusd.Metrics.NodeScrape.DeviceTimeout;

    [PrometheusFact]
    public async Task Metrics_FakeNvmlAndRapl_PassesPromtoolCheck()
    {
        // A request first, so the HTTP series have samples to check too.
        await fixture.Client.GetAsync("/discover");
        string scrape = await fixture.ScrapeAsync();

        var (exitCode, output) = await PrometheusTools.CheckMetricsAsync(scrape);

        Assert.True(exitCode == 0, $"promtool check metrics failed ({exitCode}):\n{output}\n---\n{scrape}");
    }

    [Fact]
    public async Task Metrics_FakeNode_ReportsEveryDeviceSeries()
    {
        fixture.Nvml.SetPower(1, 187_250);
        try
        {
            string scrape = await fixture.ScrapeAsync();

            Assert.Equal(187.25, Exposition.Value(scrape, "zeusd_gpu_power_watts", "gpu=\"1\""));
            for (int gpu = 0; gpu < 4; gpu++)
            {
                Assert.Equal(1, Exposition.Value(scrape, "zeusd_gpu_up", $"gpu=\"{gpu}\""));
                Assert.NotNull(Exposition.Value(scrape, "zeusd_gpu_power_limit_watts", $"gpu=\"{gpu}\""));
                Assert.NotNull(Exposition.Value(scrape, "zeusd_gpu_power_limit_min_watts", $"gpu=\"{gpu}\""));
                Assert.NotNull(Exposition.Value(scrape, "zeusd_gpu_power_limit_max_watts", $"gpu=\"{gpu}\""));
                Assert.NotNull(Exposition.Value(scrape, "zeusd_gpu_persistence_mode", $"gpu=\"{gpu}\""));
            }
            Assert.Single(Exposition.Samples(scrape, "zeusd_gpu_info"), s => s.Contains("gpu=\"0\"") && s.Contains("pci_address="));
            // The GPU without an energy counter has no energy series; the others do.
            Assert.Equal(3, Exposition.Samples(scrape, "zeusd_gpu_energy_joules_total").Length);
            Assert.Null(Exposition.Value(scrape, "zeusd_gpu_energy_joules_total", $"gpu=\"{MetricsDaemonFixture.GpuWithoutEnergy}\""));

            Assert.Equal(MetricsDaemonFixture.Package0Uj / 1e6, Exposition.Value(scrape, "zeusd_cpu_energy_joules_total", "cpu=\"0\",zone=\"package\""));
            Assert.Equal(MetricsDaemonFixture.Dram0Uj / 1e6, Exposition.Value(scrape, "zeusd_cpu_energy_joules_total", "cpu=\"0\",zone=\"dram\""));
            Assert.Equal(MetricsDaemonFixture.Package1Uj / 1e6, Exposition.Value(scrape, "zeusd_cpu_energy_joules_total", "cpu=\"1\",zone=\"package\""));
            Assert.Null(Exposition.Value(scrape, "zeusd_cpu_energy_joules_total", "cpu=\"1\",zone=\"dram\""));
            Assert.Equal(1, Exposition.Value(scrape, "zeusd_cpu_up", "cpu=\"0\""));
            Assert.NotNull(Exposition.Value(scrape, "zeusd_stream_subscribers", "device=\"gpu\""));
            Assert.NotNull(Exposition.Value(scrape, "zeusd_stream_subscribers", "device=\"cpu\""));
            Assert.Single(Exposition.Samples(scrape, "zeusd_build_info"));
            foreach (var name in new[] { "process_cpu_seconds_total", "process_resident_memory_bytes", "process_start_time_seconds", "process_open_fds", "process_max_fds" })
            {
                Assert.True(Exposition.Value(scrape, name) > 0, name);
            }
        }
        finally
        {
            fixture.Nvml.ClearPower(1);
        }
    }

    [Fact]
    public async Task Metrics_OneScrape_ReadsEachGpuPowerOnce()
    {
        long mark = fixture.Nvml.Mark();

        await fixture.ScrapeAsync();

        var powerReads = fixture.Nvml.CallsAfter(mark).Where(c => c.Function == FakeNvml.GetFieldValues).ToList();
        Assert.Equal([0, 1, 2, 3], powerReads.Select(c => c.Gpu ?? -1).Order());
    }

    [Fact]
    public async Task Metrics_HungGpu_IsDownWithinTheScrapeAndConcurrentScrapesShareItsOneRead()
    {
        const int hung = 2;
        // No stream of another test still polling: its poller's reads would show in the call log too.
        await WaitUntilAsync(async () => Exposition.Value(await fixture.ScrapeAsync(), "zeusd_stream_subscribers", "device=\"gpu\"") == 0);
        await Task.Delay(200);
        long mark = fixture.Nvml.Mark();
        fixture.Nvml.SetFault(hung, FakeNvml.GetFieldValues, "block");
        try
        {
            var clock = Stopwatch.StartNew();
            string[] scrapes = await Task.WhenAll(fixture.ScrapeAsync(), fixture.ScrapeAsync());
            var elapsed = clock.Elapsed;
            string third = await fixture.ScrapeAsync();

            // The daemon gives up on the GPU after 0.5 s; the rest is margin for a loaded test machine.
            Assert.True(elapsed < TimeSpan.FromSeconds(1.5), $"two concurrent scrapes took {elapsed}");
            Assert.True(elapsed >= NodeScrapeTimeout, $"the scrapes did not wait for the hung GPU ({elapsed})");
            foreach (var scrape in scrapes.Append(third))
            {
                Assert.Equal(0, Exposition.Value(scrape, "zeusd_gpu_up", $"gpu=\"{hung}\""));
                Assert.DoesNotContain(scrape.Split('\n'), line => line.Contains($"gpu=\"{hung}\"") && !line.StartsWith("zeusd_gpu_up", StringComparison.Ordinal));
                Assert.Equal(1, Exposition.Value(scrape, "zeusd_gpu_up", "gpu=\"0\""));
                Assert.NotNull(Exposition.Value(scrape, "zeusd_gpu_power_watts", "gpu=\"0\""));
            }
            // One read of the hung GPU in all three scrapes: nothing piles up behind it.
            Assert.Single(fixture.Nvml.CallsAfter(mark), c => c.Function == FakeNvml.GetFieldValues && c.Gpu == hung);
        }
        finally
        {
            fixture.Nvml.ClearFault(hung, FakeNvml.GetFieldValues);
        }
        await WaitUntilAsync(async () => Exposition.Value(await fixture.ScrapeAsync(), "zeusd_gpu_up", $"gpu=\"{hung}\"") == 1);
    }

    [Fact]
    public async Task Metrics_AcceptOpenMetrics_AnswersOpenMetricsEndingInEof()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.TryAddWithoutValidation("Accept", "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
        using var response = await fixture.Metrics.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();

        Assert.Equal("application/openmetrics-text; version=1.0.0; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.EndsWith("# EOF\n", body);
        Assert.Contains("# TYPE zeusd_gpu_energy_joules counter\n", body);
        Assert.Contains("# TYPE zeusd_build info\n", body);
        Assert.Contains("\nzeusd_gpu_energy_joules_total{gpu=\"0\"} ", body);
    }

    [Fact]
    public async Task Metrics_PlainScrape_AnswersText004()
    {
        using var response = await fixture.Metrics.GetAsync("/metrics");
        string body = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Contains("# TYPE zeusd_gpu_energy_joules_total counter\n", body);
        Assert.Contains("# TYPE zeusd_build_info gauge\n", body);
        Assert.DoesNotContain("# EOF", body);
    }

    [Fact]
    public async Task MetricsListener_ApiPath_Is404AndApiSocketHasNoMetrics()
    {
        using var onMetricsPort = await fixture.Metrics.GetAsync("/discover");
        using var onApi = await fixture.Client.GetAsync("/metrics");
        using var post = await fixture.Metrics.PostAsync("/metrics", null);

        Assert.Equal(HttpStatusCode.NotFound, onMetricsPort.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, onApi.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }

    [Fact]
    public async Task Metrics_AfterApiRequests_CountsThemByRegisteredRoute()
    {
        string before = await fixture.ScrapeAsync();
        await fixture.Client.GetAsync("/gpu/get_power?gpu_ids=0");
        await fixture.Client.GetAsync("/no/such/route");
        await fixture.Client.PostAsync("/gpu/0/set_power_limit", new StringContent("{\"power_limit_mw\":200000,\"block\":true}", System.Text.Encoding.UTF8, "application/json"));

        string after = await fixture.ScrapeAsync();

        Assert.Equal(1, Delta("zeusd_http_requests_total", "route=\"/gpu/get_power\",code=\"200\""));
        Assert.Equal(1, Delta("zeusd_http_requests_total", "route=\"other\",code=\"404\""));
        Assert.Contains(Exposition.Samples(after, "zeusd_http_requests_total"), s => s.Contains("route=\"/gpu/{index}/set_power_limit\""));
        Assert.Equal(1, Delta("zeusd_http_request_duration_seconds_count", "route=\"/gpu/get_power\""));
        Assert.DoesNotContain(Exposition.Samples(after, "zeusd_http_requests_total"), s => s.Contains("/no/such/route"));

        double Delta(string name, string labels) => (Exposition.Value(after, name, labels) ?? 0) - (Exposition.Value(before, name, labels) ?? 0);
    }

    [Fact]
    public async Task Metrics_AfterGpuWrites_CountsOutcomes()
    {
        string before = await fixture.ScrapeAsync();
        await fixture.Client.PostAsync("/gpu/set_power_limit?gpu_ids=1&power_limit_mw=200000&block=true", null);
        fixture.Nvml.SetFault(1, FakeNvml.SetPowerLimit, "no_permission");
        try
        {
            await fixture.Client.PostAsync("/gpu/set_power_limit?gpu_ids=1&power_limit_mw=200000&block=true", null);
        }
        finally
        {
            fixture.Nvml.ClearFault(1, FakeNvml.SetPowerLimit);
        }

        string after = await fixture.ScrapeAsync();

        Assert.Equal(1, Delta("gpu=\"1\",operation=\"set_power_limit\",outcome=\"ok\""));
        Assert.Equal(1, Delta("gpu=\"1\",operation=\"set_power_limit\",outcome=\"error\""));

        double Delta(string labels) =>
            (Exposition.Value(after, "zeusd_gpu_writes_total", labels) ?? 0) - (Exposition.Value(before, "zeusd_gpu_writes_total", labels) ?? 0);
    }

    [Fact]
    public async Task Metrics_OpenStream_CountsOneSubscriber()
    {
        using var client = fixture.Daemon.CreateClient(TimeSpan.FromSeconds(30));
        using var stream = await client.GetAsync("/gpu/stream_power", HttpCompletionOption.ResponseHeadersRead);
        try
        {
            await WaitUntilAsync(async () => Exposition.Value(await fixture.ScrapeAsync(), "zeusd_stream_subscribers", "device=\"gpu\"") >= 1);
        }
        finally
        {
            stream.Dispose();
        }
        await WaitUntilAsync(async () => Exposition.Value(await fixture.ScrapeAsync(), "zeusd_stream_subscribers", "device=\"gpu\"") == 0);
    }

    [Fact]
    public async Task MetricsBindAddress_Malformed_IsAStartupError()
    {
        var (exitCode, _, stderr) = await Integration.DaemonProcess.RunToEndAsync(
            ["serve", "--simulate", "--socket-path", Path.Combine(Path.GetTempPath(), "unused.sock"), "--metrics-bind-address", "nonsense"]);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Invalid metrics bind address 'nonsense'", stderr);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 10 s");
            await Task.Delay(50);
        }
    }
}
