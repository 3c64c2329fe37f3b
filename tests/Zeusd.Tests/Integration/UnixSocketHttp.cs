using System.Net.Sockets;

namespace Zeusd.Tests.Integration;

/// <summary>HTTP/1.1 over a Unix domain socket, like httpx's UDS transport.</summary>
public static class UnixSocketHttp
{
    public static HttpClient CreateClient(string socketPath, TimeSpan? timeout = null)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellation) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellation);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler)
        {
            BaseAddress = new Uri("http://localhost"),
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>Sends raw bytes and returns the raw response up to <paramref name="maxBytes"/> or the connection's end.</summary>
    public static async Task<string> SendRawAsync(string socketPath, string request, int maxBytes = 65536, TimeSpan? timeout = null)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
        await socket.SendAsync(System.Text.Encoding.ASCII.GetBytes(request));
        var buffer = new byte[maxBytes];
        int total = 0;
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(5));
        try
        {
            while (total < maxBytes)
            {
                int n = await socket.ReceiveAsync(buffer.AsMemory(total), cts.Token);
                if (n == 0)
                {
                    break;
                }
                total += n;
                string soFar = System.Text.Encoding.UTF8.GetString(buffer, 0, total);
                int headerEnd = soFar.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (headerEnd >= 0 && TryContentLength(soFar[..headerEnd], out int length) && total >= headerEnd + 4 + length)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        return System.Text.Encoding.UTF8.GetString(buffer, 0, total);
    }

    private static bool TryContentLength(string headers, out int length)
    {
        length = 0;
        foreach (var line in headers.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                return int.TryParse(line["Content-Length:".Length..].Trim(), out length);
            }
        }
        return false;
    }
}
