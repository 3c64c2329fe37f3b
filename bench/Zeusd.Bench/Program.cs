using System.CommandLine;
using Zeusd.Bench;

// zeusd-bench: latency, throughput, CPU per request, memory, startup, SSE fan-out and a soak of the published daemon,
// over a Unix socket and TCP, against a fake NVML. Prints a Markdown report (and appends it to --out).
var daemon = new Option<string>("--daemon") { Description = "Published zeusd binary", Required = true };
var shared = new Option<string>("--shared-bench") { Description = "Folder with udsload/ and fakenvml-min/ (default: ../shared/bench beside the repository)" };
var duration = new Option<double>("--duration") { DefaultValueFactory = _ => 4, Description = "Measured seconds per run" };
var warmup = new Option<double>("--warmup") { DefaultValueFactory = _ => 1, Description = "Warm-up seconds per run" };
var repeats = new Option<int>("--repeats") { DefaultValueFactory = _ => 3, Description = "Runs per cell; medians are reported" };
var connections = new Option<string>("--connections") { DefaultValueFactory = _ => "1 16 64" };
var transports = new Option<string>("--transports") { DefaultValueFactory = _ => "uds tcp" };
var gpus = new Option<int>("--gpus") { DefaultValueFactory = _ => 2 };
var startups = new Option<int>("--startups") { DefaultValueFactory = _ => 5, Description = "Cold starts for exec-to-first-200" };
var sse = new Option<int>("--sse") { DefaultValueFactory = _ => 0, Description = "SSE subscribers (0 skips the fan-out run)" };
var sseSeconds = new Option<double>("--sse-seconds") { DefaultValueFactory = _ => 60 };
var soakMinutes = new Option<double>("--soak-minutes") { DefaultValueFactory = _ => 0, Description = "Soak length (0 skips it)" };
var logLevel = new Option<string>("--log-level") { DefaultValueFactory = _ => "info", Description = "The daemon's log level" };
var output = new Option<string?>("--out") { Description = "Append the report to this Markdown file" };

var root = new RootCommand("Benchmark the published zeusd against a fake NVML");
foreach (var option in new Option[] { daemon, shared, duration, warmup, repeats, connections, transports, gpus, startups, sse, sseSeconds, soakMinutes, logLevel, output })
{
    root.Options.Add(option);
}
root.SetAction(result =>
{
    var settings = new BenchSettings
    {
        Daemon = Path.GetFullPath(result.GetValue(daemon)!),
        SharedBench = result.GetValue(shared) ?? DefaultSharedBench(),
        Duration = result.GetValue(duration),
        Warmup = result.GetValue(warmup),
        Repeats = result.GetValue(repeats),
        Connections = [.. result.GetValue(connections)!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse)],
        Transports = [.. result.GetValue(transports)!.Split(' ', StringSplitOptions.RemoveEmptyEntries)],
        Gpus = result.GetValue(gpus),
        Startups = result.GetValue(startups),
        SseStreams = result.GetValue(sse),
        SseSeconds = result.GetValue(sseSeconds),
        SoakMinutes = result.GetValue(soakMinutes),
        LogLevel = result.GetValue(logLevel)!,
    };
    string report = new Benchmark(settings).Run();
    Console.WriteLine(report);
    if (result.GetValue(output) is { } file)
    {
        File.AppendAllText(file, report + "\n");
    }
    return 0;
});
return root.Parse(args).Invoke();

static string DefaultSharedBench()
{
    for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Zeusd.slnx")))
        {
            return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "bench"));
        }
    }
    return Path.GetFullPath("../shared/bench");
}
