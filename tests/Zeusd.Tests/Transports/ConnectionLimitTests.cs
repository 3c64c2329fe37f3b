using System.Net.Sockets;
using Zeusd.Tests.Integration;

namespace Zeusd.Tests.Transports;

/// <summary>
/// Concurrent connections are capped (<c>--max-connections</c>, fitted to the open-file limit): clients beyond the cap
/// get a 503 at once, never a hang, and the daemon does not spin at the file-descriptor limit.
/// </summary>
public sealed class ConnectionLimitTests
{
    private static string Refusal(int limit) => $"{{\"error\":\"Too many concurrent connections (the limit is {limit}); retry later.\"}}";

    /// <summary>
    /// Connects <paramref name="count"/> clients that send nothing. A full backlog answers EAGAIN, retried until the
    /// deadline: a daemon that stopped accepting leaves the rest unopened, and the test's next request shows the hang.
    /// </summary>
    private static async Task<List<Socket>> OpenIdleAsync(string path, int count)
    {
        var sockets = new List<Socket>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (sockets.Count < count && DateTime.UtcNow < deadline)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
                sockets.Add(socket);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.WouldBlock or SocketError.TryAgain)
            {
                socket.Dispose();
                await Task.Delay(5);
            }
        }
        return sockets;
    }

    /// <summary>user + system CPU time of a process, from /proc/PID/stat (clock ticks of 10 ms).</summary>
    private static TimeSpan CpuTime(DaemonProcess daemon)
    {
        if (daemon.Exited.IsCompleted)
        {
            Assert.Fail($"zeusd exited with {daemon.Exited.Result}:\n{daemon.Output}");
        }
        string stat = File.ReadAllText($"/proc/{daemon.Pid}/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return TimeSpan.FromMilliseconds((long.Parse(fields[11]) + long.Parse(fields[12])) * 10);
    }

    [Fact]
    public async Task Serve_MoreConnectionsThanTheLimit_ExcessIsAnswered503AndServedOnesKeepWorking()
    {
        await using var daemon = await DaemonProcess.StartAsync(["--simulate", "--max-connections", "4"]);
        // Four connections that each got an answer, so each holds its slot; the daemon may still be closing the
        // connection its readiness probe used, so a 503 here just means "try that one again".
        var idle = new List<Socket>();
        var until = DateTime.UtcNow.AddSeconds(10);
        while (idle.Count < 4 && DateTime.UtcNow < until)
        {
            var socket = (await OpenIdleAsync(daemon.SocketPath!, 1))[0];
            await socket.SendAsync("GET /time HTTP/1.1\r\nHost: localhost\r\n\r\n"u8.ToArray());
            var answer = new byte[4096];
            int read = await socket.ReceiveAsync(answer);
            if (System.Text.Encoding.ASCII.GetString(answer, 0, read).StartsWith("HTTP/1.1 200 OK\r\n", StringComparison.Ordinal))
            {
                idle.Add(socket);
                continue;
            }
            socket.Dispose();
            await Task.Delay(50);
        }
        try
        {
            Assert.Equal(4, idle.Count);
            string refused = await UnixSocketHttp.SendRawAsync(daemon.SocketPath!, "GET /discover HTTP/1.1\r\nHost: localhost\r\n\r\n");

            Assert.StartsWith("HTTP/1.1 503 Service Unavailable\r\n", refused);
            Assert.Contains("\r\nRetry-After: 1\r\n", refused);
            Assert.EndsWith(Refusal(4), refused);
            await daemon.WaitForOutputAsync("Refusing connections with 503: 4 concurrent connections are open (--max-connections)");
        }
        finally
        {
            idle.ForEach(s => s.Dispose());
        }
        // The slots free up when clients leave.
        using var client = daemon.CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        int status;
        while ((status = await StatusOrZeroAsync(client)) != 200 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        Assert.Equal(200, status);
    }

    [Fact]
    public async Task Serve_MoreIdleClientsThanTheOpenFileLimit_NewClientGetsAnAnswerAndTheDaemonDoesNotSpin()
    {
        await using var daemon = await DaemonProcess.StartAsync(["--simulate"], commandPrefix: ShellSetup.Prefix("ulimit -n 512"));
        var idle = await OpenIdleAsync(daemon.SocketPath!, 700);
        try
        {
            await Task.Delay(500);
            var cpuBefore = CpuTime(daemon);
            await Task.Delay(TimeSpan.FromSeconds(2));
            var cpuUsed = CpuTime(daemon) - cpuBefore;

            using var client = daemon.CreateClient(TimeSpan.FromSeconds(5));
            var (status, body, _) = await client.CallAsync("/discover");

            Assert.Equal(503, status);
            Assert.StartsWith("{\"error\":\"Too many concurrent connections (the limit is ", body);
            // Idle clients cost nothing; an accept loop spinning on EMFILE burns most of a core.
            Assert.True(cpuUsed < TimeSpan.FromSeconds(0.5), $"zeusd used {cpuUsed.TotalSeconds:F2} s of CPU in 2 s with idle clients");
        }
        finally
        {
            idle.ForEach(s => s.Dispose());
        }
        Assert.False(daemon.Exited.IsCompleted, daemon.Output);
        await daemon.WaitForOutputAsync("--max-connections 4096 lowered to ");
    }

    [Fact]
    public async Task Serve_SoftOpenFileLimitBelowHard_IsRaisedToTheHardLimit()
    {
        await using var daemon = await DaemonProcess.StartAsync(["--simulate"], commandPrefix: ShellSetup.Prefix("ulimit -S -n 300"));

        string line = File.ReadLines($"/proc/{daemon.Pid}/limits").Single(l => l.StartsWith("Max open files"));
        string[] values = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(values[1], values[0]);
        Assert.NotEqual("300", values[0]);
    }

    private static async Task<int> StatusOrZeroAsync(System.Net.Http.HttpClient client)
    {
        try
        {
            return (await client.CallAsync("/discover")).Status;
        }
        catch (System.Net.Http.HttpRequestException)
        {
            return 0;
        }
    }
}
