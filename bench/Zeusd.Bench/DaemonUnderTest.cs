using System.Diagnostics;

namespace Zeusd.Bench;

/// <summary>The published zeusd, started against the fake NVML on a Unix socket or a TCP port.</summary>
public sealed class DaemonUnderTest : IDisposable
{
    private readonly Process _process;

    private DaemonUnderTest(Process process, string[] target, long spawnTimestamp)
    {
        _process = process;
        Target = target;
        SpawnTimestamp = spawnTimestamp;
    }

    /// <summary>udsload's target arguments: <c>-u SOCKET</c> or <c>-t HOST:PORT</c>.</summary>
    public string[] Target { get; }

    public long SpawnTimestamp { get; }

    public int Pid => _process.Id;

    public static DaemonUnderTest Start(string binary, Tools tools, string directory, bool tcp, int gpus, string logLevel)
    {
        string[] transport;
        string[] target;
        if (tcp)
        {
            int port = FreePort();
            transport = ["--mode", "tcp", "--tcp-bind-address", $"127.0.0.1:{port}"];
            target = ["-t", $"127.0.0.1:{port}"];
        }
        else
        {
            string socket = Path.Combine(directory, $"zeusd-{Guid.NewGuid():N}.sock");
            transport = ["--socket-path", socket];
            target = ["-u", socket];
        }
        var info = new ProcessStartInfo(binary, ["serve", .. transport, "--enable", "gpu-read,gpu-control", "--log-level", logLevel])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["LD_LIBRARY_PATH"] = tools.FakeNvmlDirectory;
        info.Environment["FAKENVML_GPUS"] = gpus.ToString();
        long spawn = Stopwatch.GetTimestamp();
        var process = Process.Start(info)!;
        // Drain output so a chatty log level never blocks the daemon on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new DaemonUnderTest(process, target, spawn);
    }

    /// <summary>Milliseconds from spawn until the first 200 on <c>GET /gpu/get_power</c>.</summary>
    public double WaitUntilReady(Tools tools)
    {
        var info = new ProcessStartInfo(tools.UdsLoad, [.. Target, "-r", "GET /gpu/get_power?gpu_ids=0,1", "--wait-ready", "20"])
        {
            RedirectStandardOutput = true,
        };
        using var probe = Process.Start(info)!;
        string output = probe.StandardOutput.ReadToEnd();
        probe.WaitForExit();
        long ready = Stopwatch.GetTimestamp();
        if (!output.Contains("READY"))
        {
            throw new InvalidOperationException("zeusd never became ready: " + output);
        }
        return Stopwatch.GetElapsedTime(SpawnTimestamp, ready).TotalMilliseconds;
    }

    public ProcessStats Stats() => ProcessStats.Of(_process.Id);

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}
