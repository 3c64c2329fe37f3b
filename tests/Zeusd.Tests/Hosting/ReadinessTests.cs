using Zeusd.Tests.Integration;

namespace Zeusd.Tests.Hosting;

/// <summary>The published daemon as a <c>Type=notify</c> service: what systemd sees on NOTIFY_SOCKET.</summary>
public sealed class ReadinessTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Serve_NotifySocketSet_SendsReadyOnlyOnceTheSocketServesThenStoppingOnSigterm()
    {
        string dir = DaemonProcess.NewTempDirectory();
        using var listener = new NotifySocketListener(Path.Combine(dir, "notify"));
        await using var daemon = await DaemonProcess.StartAsync(
            ["--simulate", "--socket-permissions", "660"], environment: new Dictionary<string, string> { ["NOTIFY_SOCKET"] = listener.Address },
            directory: dir, waitUntilReady: false);

        Assert.Equal("READY=1", await listener.ReceiveAsync(Patience));
        // No retry: at READY=1 the socket is bound, chmod-ed and accepting.
        Assert.Equal(Convert.ToInt32("660", 8), FileStat.Of(daemon.SocketPath!).Permissions);
        using var client = daemon.CreateClient();
        Assert.Equal(200, (await client.CallAsync("/discover")).Status);

        Assert.Equal(0, await daemon.StopAsync());
        Assert.Equal("STOPPING=1", await listener.ReceiveAsync(Patience));
        Assert.Empty(listener.Drain());
    }

    [Fact]
    public async Task Serve_StartupFails_NeverSendsReady()
    {
        string dir = DaemonProcess.NewTempDirectory();
        string occupied = Path.Combine(dir, "zeusd.sock");
        File.WriteAllText(occupied, "not a socket");
        using var listener = new NotifySocketListener(Path.Combine(dir, "notify"));

        var (exit, _, _) = await DaemonProcess.RunToEndAsync(
            ["serve", "--simulate", "--socket-path", occupied], environment: new Dictionary<string, string> { ["NOTIFY_SOCKET"] = listener.Address });

        Assert.Equal(1, exit);
        Assert.Empty(listener.Drain());
    }

    [Fact]
    public async Task Serve_NoNotifySocket_ServesWithoutNotifying()
    {
        await using var daemon = await DaemonProcess.StartAsync(["--simulate"]);
        using var client = daemon.CreateClient();

        Assert.Equal(200, (await client.CallAsync("/discover")).Status);
        Assert.Equal(0, await daemon.StopAsync());
    }
}
