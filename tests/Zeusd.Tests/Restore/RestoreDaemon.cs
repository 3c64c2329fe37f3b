using System.Diagnostics;
using Zeusd.Tests.Integration;
using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Restore;

/// <summary>
/// What the restore tests share: a daemon on the fake NVML (which keeps board state in a file, as real boards keep
/// their settings across daemon restarts) with <c>--restore MODE --state-dir DIR</c>, and client processes (curl) that
/// make one request and exit, as a training job's client does.
/// </summary>
public static class RestoreDaemon
{
    public const int Original = 300_000;

    public static Task<DaemonProcess> StartAsync(FakeNvml nvml, string mode, string stateDir, string[]? extra = null,
        IDictionary<string, string>? environment = null, string? directory = null, string? socketPath = null, bool waitUntilReady = true) =>
        DaemonProcess.StartAsync(
            ["--gpu-backend", "nvml", "--enable", "gpu-control,gpu-read", "--restore", mode, "--state-dir", stateDir, .. extra ?? []],
            environment ?? nvml.Environment, directory: directory, socketPath: socketPath, waitUntilReady: waitUntilReady);

    /// <summary>The same over <c>--mode tcp</c> on a free loopback port, once it serves; with a client bound to it.</summary>
    public static async Task<(DaemonProcess Daemon, HttpClient Client, string Address)> StartTcpAsync(FakeNvml nvml, string mode, string stateDir,
        string[]? extra = null, string? directory = null)
    {
        string address = $"127.0.0.1:{FreeTcpPort()}";
        var daemon = await StartAsync(nvml, mode, stateDir, ["--mode", "tcp", "--tcp-bind-address", address, .. extra ?? []],
            directory: directory, waitUntilReady: false);
        var tcp = new DaemonProcessTcp(daemon, address);
        var client = tcp.CreateClient();
        await tcp.WaitUntilReadyAsync(client);
        return (daemon, client, address);
    }

    /// <summary>Runs <c>curl</c> (its own process) for one request; returns the HTTP status once curl has exited.</summary>
    /// <param name="target">A Unix socket path, or <c>host:port</c> for TCP.</param>
    public static async Task<(int Status, string Body)> CurlAsync(string target, string pathAndQuery, string method = "POST")
    {
        var info = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { "-s", "-X", method, "-w", "\n%{http_code}" })
        {
            info.ArgumentList.Add(arg);
        }
        if (target.Contains('/'))
        {
            info.ArgumentList.Add("--unix-socket");
            info.ArgumentList.Add(target);
            info.ArgumentList.Add("http://localhost" + pathAndQuery);
        }
        else
        {
            info.ArgumentList.Add("http://" + target + pathAndQuery);
        }
        using var curl = Process.Start(info)!;
        string output = await curl.StandardOutput.ReadToEndAsync();
        await curl.WaitForExitAsync();
        int newline = output.LastIndexOf('\n');
        return (int.Parse(output[(newline + 1)..]), output[..newline]);
    }

    /// <summary>
    /// A client process that makes one write and then stays alive (it goes on to read a power stream) until killed.
    /// </summary>
    public static Process StartLingeringCurl(string socketPath, string pathAndQuery) => Process.Start(new ProcessStartInfo("curl")
    {
        ArgumentList =
        {
            "-s", "-X", "POST", "--unix-socket", socketPath, "http://localhost" + pathAndQuery,
            "--next", "-s", "-N", "--unix-socket", socketPath, "http://localhost/gpu/stream_power?gpu_ids=0",
        },
        RedirectStandardOutput = true,
        UseShellExecute = false,
    })!;

    /// <summary>
    /// Waits until <c>/gpu/get_changed_settings</c> is <c>{}</c>: a restore removes its record right after the driver
    /// call the fake reports, in the same queued command.
    /// </summary>
    public static async Task WaitUntilNothingChangedAsync(HttpClient client, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        string changed;
        while ((changed = (await client.CallAsync("/gpu/get_changed_settings")).Body) != "{}")
        {
            Assert.True(DateTime.UtcNow < deadline, "still changed: " + changed);
            await Task.Delay(10);
        }
    }

    /// <summary>Kills the daemon as a crash would (SIGKILL: no teardown, no restore).</summary>
    public static async Task CrashAsync(DaemonProcess daemon)
    {
        Posix.Kill(daemon.Pid, 9);
        await daemon.Exited.WaitAsync(TimeSpan.FromSeconds(10));
    }

    public static int FreeTcpPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The journal's record files.</summary>
    public static string[] Records(string stateDir) =>
        Directory.Exists(stateDir) ? [.. Directory.GetFiles(stateDir, "gpu-*.json").Select(Path.GetFileName).Order()!] : [];
}
