using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Zeusd.Hosting;

/// <summary>
/// Tells systemd (<c>Type=notify</c>) when zeusd is serving and when it begins to stop, with the sd_notify datagram
/// protocol: one <c>KEY=VALUE</c> datagram to the AF_UNIX socket named by <c>NOTIFY_SOCKET</c>, where a leading '@'
/// names a Linux abstract-namespace socket. Hand-written rather than Microsoft.Extensions.Hosting.Systemd, whose
/// lifetime sends READY=1 when the host has started, i.e. before the Unix socket's mode and owner are applied: a client
/// that systemd starts "after zeusd" could then meet a socket it cannot open yet. The protocol is one <c>sendto</c>. Without <c>NOTIFY_SOCKET</c> (not started by systemd, or not
/// <c>Type=notify</c>) every call is a no-op. Each state is sent at most once.
/// </summary>
public sealed partial class SystemdNotifier
{
    public const string ReadyState = "READY=1";
    public const string StoppingState = "STOPPING=1";

    private readonly UnixDomainSocketEndPoint? _endpoint;
    private readonly ILogger _logger;
    private int _readySent;
    private int _stoppingSent;

    public SystemdNotifier(string? notifySocket, ILogger logger)
    {
        _logger = logger;
        _endpoint = ParseAddress(notifySocket);
        if (_endpoint is null && !string.IsNullOrEmpty(notifySocket))
        {
            Log.UnsupportedAddress(logger, notifySocket);
        }
    }

    /// <summary>The notifier for this process: <c>NOTIFY_SOCKET</c> as systemd set it.</summary>
    public static SystemdNotifier FromEnvironment(ILogger logger) =>
        new(Environment.GetEnvironmentVariable("NOTIFY_SOCKET"), logger);

    /// <summary>True when a service manager asked for notifications.</summary>
    public bool IsEnabled => _endpoint is not null;

    /// <summary>
    /// Announces <c>READY=1</c> now (call it once clients can connect) and <c>STOPPING=1</c> when the host begins to
    /// stop, so <c>systemctl start</c> returns only when the socket answers and <c>systemctl status</c> shows the stop.
    /// </summary>
    public void NotifyReadyUntilStopping(IHostApplicationLifetime lifetime)
    {
        NotifyReady();
        lifetime.ApplicationStopping.Register(NotifyStopping);
    }

    public void NotifyReady()
    {
        if (Interlocked.Exchange(ref _readySent, 1) == 0)
        {
            Send(ReadyState);
        }
    }

    public void NotifyStopping()
    {
        if (Interlocked.Exchange(ref _stoppingSent, 1) == 0)
        {
            Send(StoppingState);
        }
    }

    /// <summary>
    /// <c>/path</c> is a filesystem socket; <c>@name</c> is the abstract name <c>\0name</c>. Anything else (empty, a
    /// relative path, systemd 254's <c>vsock:</c> form) gives null.
    /// </summary>
    internal static UnixDomainSocketEndPoint? ParseAddress(string? notifySocket) => notifySocket switch
    {
        ['/', ..] => new UnixDomainSocketEndPoint(notifySocket),
        ['@', _, ..] => new UnixDomainSocketEndPoint("\0" + notifySocket[1..]),
        _ => null,
    };

    private void Send(string state)
    {
        if (_endpoint is null)
        {
            return;
        }
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            socket.SendTo(Encoding.UTF8.GetBytes(state), SocketFlags.None, _endpoint);
            Log.Sent(_logger, state);
        }
        catch (SocketException e)
        {
            // A missed notification must not take the daemon down: systemd then times the start out and says why.
            Log.SendFailed(_logger, state, e.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Notified the service manager: {State}")]
        public static partial void Sent(ILogger logger, string state);

        [LoggerMessage(2, LogLevel.Warning, "Could not notify the service manager ({State}): {Reason}")]
        public static partial void SendFailed(ILogger logger, string state, string reason);

        [LoggerMessage(3, LogLevel.Warning, "Ignoring NOTIFY_SOCKET={Address}: only '/path' and '@abstract' addresses are supported")]
        public static partial void UnsupportedAddress(ILogger logger, string address);
    }
}
