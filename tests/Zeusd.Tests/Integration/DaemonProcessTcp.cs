namespace Zeusd.Tests.Integration;

/// <summary>A daemon started with <c>--mode tcp</c>, reached at a loopback address.</summary>
public sealed class DaemonProcessTcp(DaemonProcess daemon, string address)
{
    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
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
