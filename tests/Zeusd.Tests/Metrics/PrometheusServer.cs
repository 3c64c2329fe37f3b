using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Zeusd.Tests.Metrics;

/// <summary>
/// A real Prometheus server on a free loopback port, with a temp storage directory and a generated config scraping
/// the target given to <see cref="StartAsync"/> every second. Disposing kills it and removes its files.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly HttpClient _client;
    private readonly System.Text.StringBuilder _output = new();

    private PrometheusServer(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        _client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<PrometheusServer> StartAsync(string target)
    {
        string directory = Integration.DaemonProcess.NewTempDirectory();
        string config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: zeusd
                static_configs:
                  - targets: ['{target}']
            """);
        int port = MetricsDaemonFixture.FreeLoopbackPort();
        var info = new ProcessStartInfo(PrometheusTools.Require("prometheus"),
            [$"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "data")}", $"--web.listen-address=127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var server = new PrometheusServer(Process.Start(info)!, directory, port);
        server._process.OutputDataReceived += server.Collect;
        server._process.ErrorDataReceived += server.Collect;
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        await server.WaitUntilReadyAsync();
        return server;
    }

    private void Collect(object sender, DataReceivedEventArgs line)
    {
        lock (_output)
        {
            _output.AppendLine(line.Data);
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(_process.HasExited, "prometheus exited:\n" + Output);
            try
            {
                if ((await _client.GetAsync("/-/ready")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("prometheus did not become ready:\n" + Output);
    }

    /// <summary>An instant query: each result series' labels and value.</summary>
    public async Task<IReadOnlyList<(Dictionary<string, string> Labels, double Value)>> QueryAsync(string promql)
    {
        string body = await _client.GetStringAsync("/api/v1/query?query=" + Uri.EscapeDataString(promql));
        using var json = JsonDocument.Parse(body);
        var results = new List<(Dictionary<string, string>, double)>();
        foreach (var series in json.RootElement.GetProperty("data").GetProperty("result").EnumerateArray())
        {
            var labels = series.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
            double value = double.Parse(series.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
            results.Add((labels, value));
        }
        return results;
    }

    /// <summary>The single value of <paramref name="promql"/>, or null when it has no series.</summary>
    public async Task<double?> ScalarAsync(string promql) =>
        (await QueryAsync(promql)) is [var only] ? only.Value : null;

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
