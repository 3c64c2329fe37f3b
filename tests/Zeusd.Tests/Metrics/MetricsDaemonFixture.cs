using System.Net;
using System.Net.Sockets;
using Zeusd.Tests.Integration;
using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Metrics;

/// <summary>
/// <c>zeusd serve --metrics-bind-address 127.0.0.1:PORT</c> on the fake NVML (four GPUs, GPU 3 without an energy
/// counter) and a fake RAPL tree (package 0 with DRAM, package 1 without), every group enabled, API on a Unix socket.
/// </summary>
public sealed class MetricsDaemonFixture : DaemonFixture
{
    public const int GpuWithoutEnergy = 3;
    public const ulong Package0Uj = 123_456_789_012;
    public const ulong Dram0Uj = 7_654_321;
    public const ulong Package1Uj = 5_000_000;

    public FakeNvml Nvml { get; } = new(gpuCount: 4, noEnergy: [GpuWithoutEnergy]);

    public FakeRaplTree Rapl { get; } = new FakeRaplTree()
        .AddPackage(0, energyUj: Package0Uj, dramEnergyUj: Dram0Uj)
        .AddPackage(1, energyUj: Package1Uj);

    public int MetricsPort { get; } = FreeLoopbackPort();

    public string MetricsAddress => $"127.0.0.1:{MetricsPort}";

    /// <summary>A client of the metrics listener.</summary>
    public HttpClient Metrics { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    protected override Task<DaemonProcess> StartAsync()
    {
        Metrics.BaseAddress = new Uri($"http://{MetricsAddress}");
        var environment = Nvml.Environment;
        foreach (var (key, value) in Rapl.Environment)
        {
            environment[key] = value;
        }
        return DaemonProcess.StartAsync(
            ["--gpu-backend", "nvml", "--enable", "gpu-control,gpu-read,cpu-read", "--metrics-bind-address", MetricsAddress], environment);
    }

    /// <summary>One scrape's body (text 0.0.4 unless <paramref name="accept"/> says otherwise).</summary>
    public async Task<string> ScrapeAsync(string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        using var response = await Metrics.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    protected override void DisposeResources()
    {
        Metrics.Dispose();
        Nvml.Dispose();
        Rapl.Dispose();
    }
}
