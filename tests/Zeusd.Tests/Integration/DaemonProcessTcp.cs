namespace Zeusd.Tests.Integration;

/// <summary>A daemon started with <c>--mode tcp</c>, reached at a loopback address.</summary>
public sealed class DaemonProcessTcp(DaemonProcess daemon, string address)
{
    /// <summary>A loopback port nobody listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts <c>zeusd serve --mode tcp</c> on a free loopback port and waits until it answers.</summary>
    public static async Task<(DaemonProcess Daemon, DaemonProcessTcp Tcp)> StartAsync(IEnumerable<string> args)
    {
        string address = $"127.0.0.1:{FreePort()}";
        var daemon = await DaemonProcess.StartAsync(["--mode", "tcp", "--tcp-bind-address", address, .. args], waitUntilReady: false);
        var tcp = new DaemonProcessTcp(daemon, address);
        using var client = tcp.CreateClient();
        await tcp.WaitUntilReadyAsync(client);
        return (daemon, tcp);
    }

    public HttpClient CreateClient() => new() { BaseAddress = new Uri("http://" + address), Timeout = TimeSpan.FromSeconds(30) };

    public async Task WaitUntilReadyAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (daemon.Exited.IsCompleted)
            {
                throw new InvalidOperationException("zeusd exited:\n" + daemon.Output);
            }
            try
            {
                if ((int)(await client.GetAsync("/discover")).StatusCode == 200)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(25);
        }
        throw new TimeoutException("zeusd did not become ready:\n" + daemon.Output);
    }
}
