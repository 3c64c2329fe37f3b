using System.Net.Sockets;
using System.Text;

namespace Zeusd.Tests.Integration;

/// <summary>
/// A raw HTTP/1.1 SSE request over the daemon's Unix socket that exposes exactly what arrives: the response head as
/// sent, and the chunked body one chunk at a time.
/// </summary>
public sealed class SseConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly List<byte> _buffer = [];

    private SseConnection(Socket socket)
    {
        _socket = socket;
    }

    /// <summary>The status line and headers, each line without its CRLF.</summary>
    public string[] Head { get; private set; } = [];

    public string StatusLine => Head[0];

    /// <summary>When the request was sent (wall clock, Unix ms).</summary>
    public long SentAtMs { get; private set; }

    public string? Header(string name) => Head.Skip(1)
        .Select(line => line.Split(':', 2))
        .Where(parts => parts[0].Equals(name, StringComparison.OrdinalIgnoreCase))
        .Select(parts => parts[1].Trim())
        .FirstOrDefault();

    public static async Task<SseConnection> OpenAsync(string socketPath, string pathAndQuery, TimeSpan? timeout = null)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        var connection = new SseConnection(socket);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
            connection.SentAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await socket.SendAsync(Encoding.ASCII.GetBytes($"GET {pathAndQuery} HTTP/1.1\r\nHost: localhost\r\n\r\n"));
            int end = await connection.FillUntilAsync("\r\n\r\n"u8.ToArray(), timeout ?? TimeSpan.FromSeconds(10))
                ?? throw new TimeoutException("no response head");
            connection.Head = Encoding.ASCII.GetString([.. connection._buffer[..end]]).Split("\r\n");
            connection._buffer.RemoveRange(0, end + 4);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The next chunk's payload (exact text), "" for the terminating chunk, or null if none came in time.</summary>
    public async Task<string?> ReadChunkAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        if (await FillUntilAsync("\r\n"u8.ToArray(), timeout) is not { } sizeEnd)
        {
            return null;
        }
        int size = Convert.ToInt32(Encoding.ASCII.GetString([.. _buffer[..sizeEnd]]), 16);
        int total = sizeEnd + 2 + size + 2;
        while (_buffer.Count < total)
        {
            if (!await ReceiveAsync(deadline - DateTime.UtcNow))
            {
                return null;
            }
        }
        string payload = Encoding.UTF8.GetString([.. _buffer[(sizeEnd + 2)..(sizeEnd + 2 + size)]]);
        Assert.Equal("\r\n", Encoding.ASCII.GetString([.. _buffer[(total - 2)..total]]));
        _buffer.RemoveRange(0, total);
        return payload;
    }

    /// <summary>Reads chunks until <paramref name="count"/> events arrived; fails if they do not come in time.</summary>
    public async Task<List<string>> ReadEventsAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var events = new List<string>();
        while (events.Count < count)
        {
            string? chunk = await ReadChunkAsync(deadline - DateTime.UtcNow);
            Assert.False(chunk is null, $"only {events.Count} of {count} events arrived in {timeout}");
            Assert.NotEqual("", chunk);
            events.Add(chunk!);
        }
        return events;
    }

    /// <summary>Whether the server closed the connection within <paramref name="timeout"/> (after any bytes it sent).</summary>
    public async Task<bool> ClosedWithinAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var cts = new CancellationTokenSource(deadline - DateTime.UtcNow);
                var scratch = new byte[4096];
                int n = await _socket.ReceiveAsync(scratch, SocketFlags.None, cts.Token);
                if (n == 0)
                {
                    return true;
                }
                _buffer.AddRange(scratch.AsSpan(0, n).ToArray());
            }
            catch (OperationCanceledException)
            {
                return false;
            }
            catch (SocketException)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Bytes received but not consumed yet.</summary>
    public int Unread => _buffer.Count;

    private async Task<int?> FillUntilAsync(byte[] marker, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            int index = IndexOf(marker);
            if (index >= 0)
            {
                return index;
            }
            if (!await ReceiveAsync(deadline - DateTime.UtcNow))
            {
                return null;
            }
        }
    }

    private int IndexOf(byte[] marker)
    {
        return System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_buffer).IndexOf(marker);
    }

    private async Task<bool> ReceiveAsync(TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return false;
        }
        var scratch = new byte[4096];
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            int n = await _socket.ReceiveAsync(scratch, SocketFlags.None, cts.Token);
            if (n == 0)
            {
                return false;
            }
            _buffer.AddRange(scratch.AsSpan(0, n).ToArray());
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose() => _socket.Dispose();
}
