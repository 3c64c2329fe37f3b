using System.Globalization;
using System.Text;

namespace Zeusd.Bench;

/// <summary>Runs every measurement in a fixed order and renders the report.</summary>
public sealed class Benchmark(BenchSettings settings)
{
    private static readonly (string Name, string Request)[] Scenarios =
    [
        ("get_power", "GET /gpu/get_power?gpu_ids=0,1"),
        ("set_power_limit", "POST /gpu/set_power_limit?gpu_ids=0&power_limit_mw=200000&block=true"),
    ];

    private readonly string _work = Directory.CreateTempSubdirectory("zeusd-bench-").FullName;

    public string Run()
    {
        var tools = Tools.Build(settings.SharedBench, Path.Combine(Path.GetTempPath(), "zbench"));
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"## zeusd-bench run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture,
            $"Machine: {Environment.ProcessorCount} CPUs ({CpuModel()}), daemon `{settings.Daemon}`, log level {settings.LogLevel}, " +
            $"{settings.Gpus} fake GPUs, {settings.Repeats} × {settings.Duration} s runs after {settings.Warmup} s warm-up; medians.");
        report.AppendLine();
        Startup(tools, report);
        foreach (string transport in settings.Transports)
        {
            Load(tools, transport == "tcp", report);
        }
        if (settings.SseStreams > 0)
        {
            Sse(tools, report);
        }
        if (settings.SoakMinutes > 0)
        {
            Soak(tools, report);
        }
        Directory.Delete(_work, recursive: true);
        return report.ToString();
    }

    private void Startup(Tools tools, StringBuilder report)
    {
        var times = new List<double>();
        long idleRss = 0;
        for (int i = 0; i < settings.Startups; i++)
        {
            using var daemon = Start(tools, tcp: false);
            times.Add(daemon.WaitUntilReady(tools));
            if (i == settings.Startups - 1)
            {
                Thread.Sleep(2000);
                idleRss = daemon.Stats().RssKb;
            }
        }
        report.AppendLine(CultureInfo.InvariantCulture,
            $"Exec to first 200 (`GET /gpu/get_power`): median {Median(times):F1} ms, min {times.Min():F1} ms over {times.Count} cold starts. " +
            $"Idle RSS 2 s after start: {idleRss / 1024.0:F1} MiB.");
        report.AppendLine();
    }

    private void Load(Tools tools, bool tcp, StringBuilder report)
    {
        using var daemon = Start(tools, tcp);
        daemon.WaitUntilReady(tools);
        report.AppendLine(CultureInfo.InvariantCulture, $"### {(tcp ? "TCP (127.0.0.1)" : "Unix socket")}");
        report.AppendLine();
        report.AppendLine("| scenario | conns | req/s | p50 µs | p99 µs | server CPU µs/req | bg load % |");
        report.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, request) in Scenarios)
        {
            foreach (int conns in settings.Connections)
            {
                var runs = Enumerable.Range(0, settings.Repeats).Select(_ => Measure(tools, daemon, request, conns)).ToList();
                report.AppendLine(CultureInfo.InvariantCulture,
                    $"| {name} | {conns} | {Median(runs.Select(r => r.Rps)):N0} | {Median(runs.Select(r => r.P50)):F1} | " +
                    $"{Median(runs.Select(r => r.P99)):F1} | {Median(runs.Select(r => r.CpuPerRequestUs)):F1} | {Median(runs.Select(r => r.BackgroundPercent)):F0} |");
            }
        }
        var stats = daemon.Stats();
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"RSS after the load: {stats.RssKb / 1024.0:F1} MiB (peak {stats.HighWaterKb / 1024.0:F1} MiB).");
        report.AppendLine();
    }

    private Cell Measure(Tools tools, DaemonUnderTest daemon, string request, int conns)
    {
        var before = daemon.Stats();
        double machineBefore = ProcessStats.MachineBusySeconds();
        var result = tools.Load([.. daemon.Target, "-r", request, "-c", conns.ToString(CultureInfo.InvariantCulture),
            "-d", F(settings.Duration), "-w", F(settings.Warmup), "-q"]);
        var after = daemon.Stats();
        double machine = ProcessStats.MachineBusySeconds() - machineBefore;
        double serverCpu = after.CpuSeconds - before.CpuSeconds;
        double wall = settings.Duration + settings.Warmup;
        double requestsIncludingWarmup = Math.Max(1, result["rps"] * wall);
        double background = Math.Max(0, machine - serverCpu - result["client_cpu_s"]) / (wall * Environment.ProcessorCount) * 100;
        return new Cell(result["rps"], result["p50_us"], result["p99_us"], serverCpu / requestsIncludingWarmup * 1e6, background);
    }

    private void Sse(Tools tools, StringBuilder report)
    {
        using var daemon = Start(tools, tcp: false);
        daemon.WaitUntilReady(tools);
        var before = daemon.Stats();
        var result = tools.Load([.. daemon.Target, "--sse", settings.SseStreams.ToString(CultureInfo.InvariantCulture),
            "-d", F(settings.SseSeconds), "-w", "1"]);
        var after = daemon.Stats();
        double events = result["events"];
        double cpu = after.CpuSeconds - before.CpuSeconds;
        report.AppendLine(CultureInfo.InvariantCulture, $"### SSE fan-out: {settings.SseStreams} subscribers × {settings.Gpus} GPUs");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture,
            $"{result["events_per_s"]:N0} events/s ({result["per_stream_eps"]:F2} per stream); lag p50 {result["lag_p50_ms"]:F2} ms, " +
            $"p99 {result["lag_p99_ms"]:F2} ms, max {result["lag_max_ms"]:F1} ms; daemon CPU {cpu / Math.Max(1, events) * 1e6:F1} µs per delivered event " +
            $"(whole run, {cpu:F1} s); RSS {after.RssKb / 1024.0:F1} MiB (peak {after.HighWaterKb / 1024.0:F1} MiB).");
        report.AppendLine();
    }

    private void Soak(Tools tools, StringBuilder report)
    {
        using var daemon = Start(tools, tcp: false);
        daemon.WaitUntilReady(tools);
        report.AppendLine(CultureInfo.InvariantCulture, $"### Soak: {settings.SoakMinutes} min of get_power and set_power_limit at 64 connections, alternating");
        report.AppendLine();
        report.AppendLine("| minute | scenario | req/s | server CPU µs/req | RSS MiB |");
        report.AppendLine("|---:|---|---:|---:|---:|");
        var start = DateTime.UtcNow;
        var cpuPerRequest = new List<double>();
        int round = 0;
        while ((DateTime.UtcNow - start).TotalMinutes < settings.SoakMinutes)
        {
            var (name, request) = Scenarios[round++ % Scenarios.Length];
            var cell = Measure(tools, daemon, request, 64);
            cpuPerRequest.Add(cell.CpuPerRequestUs);
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {(DateTime.UtcNow - start).TotalMinutes:F1} | {name} | {cell.Rps:N0} | {cell.CpuPerRequestUs:F1} | {daemon.Stats().RssKb / 1024.0:F1} |");
        }
        report.AppendLine();
    }

    private DaemonUnderTest Start(Tools tools, bool tcp) =>
        DaemonUnderTest.Start(settings.Daemon, tools, _work, tcp, settings.Gpus, settings.LogLevel);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string F(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string CpuModel() =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";

    private readonly record struct Cell(double Rps, double P50, double P99, double CpuPerRequestUs, double BackgroundPercent);
}
