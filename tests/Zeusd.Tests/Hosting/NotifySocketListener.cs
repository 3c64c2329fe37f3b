using System.Net.Sockets;
using System.Text;

namespace Zeusd.Tests.Hosting;

/// <summary>
/// Plays systemd's side of <c>Type=notify</c>: a datagram socket whose address goes into the daemon's NOTIFY_SOCKET.
/// </summary>
public sealed class NotifySocketListener : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);

    /// <summary>Listens on <paramref name="address"/>: a path, or '@name' for an abstract-namespace socket.</summary>
    public NotifySocketListener(string address)
    {
        Address = address;
        _socket.Bind(new UnixDomainSocketEndPoint(address.StartsWith('@') ? "\0" + address[1..] : address));
    }

    /// <summary>The value for NOTIFY_SOCKET.</summary>
    public string Address { get; }

    /// <summary>The next datagram, or null if none arrives within <paramref name="timeout"/>.</summary>
    public async Task<string?> ReceiveAsync(TimeSpan timeout)
    {
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            int length = await _socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            return Encoding.UTF8.GetString(buffer, 0, length);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Every datagram already queued (call once the sender has exited).</summary>
    public List<string> Drain()
    {
        var messages = new List<string>();
        var buffer = new byte[4096];
        while (_socket.Available > 0)
        {
            int length = _socket.Receive(buffer);
            messages.Add(Encoding.UTF8.GetString(buffer, 0, length));
        }
        return messages;
    }

    public void Dispose() => _socket.Dispose();
}
