using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Zeusd.Transports;

/// <summary>
/// Caps concurrent client connections (streams included), so the daemon never runs out of file descriptors: at the
/// open-file limit accept() fails, the kernel keeps the client waiting in the backlog and the accept loop spins.
/// Kestrel's own <c>MaxConcurrentConnections</c> closes an excess connection without a word, which a client reports as
/// "server disconnected"; this connection middleware answers it with a 503 that says why, then closes it.
/// </summary>
public sealed partial class ConnectionLimit
{
    /// <summary>
    /// Descriptors kept free beyond those open once the server runs: connections being refused
    /// (<see cref="MaxAnswering"/>), files devices open per read, the runtime's growth. The runtime aborts when it
    /// cannot get one, and at the limit accept() fails and Kestrel's accept loop spins.
    /// </summary>
    public const int Headroom = 128;

    /// <summary>Refused connections answered at once; beyond these a flood is closed without an answer, so fds stay free.</summary>
    public const int MaxAnswering = 32;

    private static readonly TimeSpan RequestWait = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan DrainTime = TimeSpan.FromMilliseconds(100);

    private volatile int _limit;
    private volatile byte[] _refusal;
    private readonly ILogger _logger;
    private static readonly long LogInterval = 10_000; // ms

    private int _open;
    private int _answering;
    private long _refused;
    private long _lastLogMs = long.MinValue / 2;

    public ConnectionLimit(int requested, ILogger logger)
    {
        Requested = requested;
        _logger = logger;
        _limit = requested;
        _refusal = Refusal(requested);
    }

    /// <summary>What <c>--max-connections</c> asked for.</summary>
    public int Requested { get; }

    /// <summary>The cap in effect.</summary>
    public int Limit => _limit;

    /// <summary>
    /// Lowers the cap, if needed, so that served connections plus <see cref="Headroom"/> fit in the open-file limit
    /// given the descriptors open now (called once the server listens); returns the cap in effect.
    /// </summary>
    public int FitTo(ulong? openFileLimit, int openNow)
    {
        if (openFileLimit is { } files)
        {
            long room = (long)Math.Min(files, int.MaxValue) - openNow - Headroom;
            int fitted = (int)Math.Clamp(room, 1, Requested);
            _refusal = Refusal(fitted);
            _limit = fitted;
        }
        return _limit;
    }

    private static byte[] Refusal(int limit)
    {
        string body = $"{{\"error\":\"Too many concurrent connections (the limit is {limit}); retry later.\"}}";
        return Encoding.ASCII.GetBytes(
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 1\r\nConnection: close\r\n" +
            $"Content-Length: {body.Length}\r\n\r\n{body}");
    }

    public ConnectionDelegate Middleware(ConnectionDelegate next) => async connection =>
    {
        if (Interlocked.Increment(ref _open) > _limit)
        {
            Interlocked.Decrement(ref _open);
            CountRefusal();
            if (Interlocked.Increment(ref _answering) <= MaxAnswering)
            {
                try
                {
                    await RefuseAsync(connection);
                }
                finally
                {
                    Interlocked.Decrement(ref _answering);
                }
            }
            else
            {
                Interlocked.Decrement(ref _answering);
            }
            return; // Kestrel closes the connection
        }
        try
        {
            await next(connection);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    };

    /// <summary>At most one log line per interval, not one per refused connection (a flood would fill the disk).</summary>
    private void CountRefusal()
    {
        long refused = Interlocked.Increment(ref _refused);
        long now = Environment.TickCount64, last = Volatile.Read(ref _lastLogMs);
        if (now - last >= LogInterval && Interlocked.CompareExchange(ref _lastLogMs, now, last) == last)
        {
            Log.Refusing(_logger, _limit, refused);
        }
    }

    /// <summary>
    /// Answers once the client's request has started to arrive (or after <see cref="RequestWait"/>), then reads what
    /// else it sent for <see cref="DrainTime"/>: closing a TCP or Unix socket with unread data resets the connection
    /// (ECONNRESET at the client), and a client still sending its request would see a broken pipe; either can destroy
    /// the 503 before the client reads it.
    /// </summary>
    private async Task RefuseAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        try
        {
            await ReadForAsync(input, RequestWait, untilAnyData: true);
            await connection.Transport.Output.WriteAsync(_refusal);
            await connection.Transport.Output.CompleteAsync();
            await ReadForAsync(input, DrainTime, untilAnyData: false);
        }
        catch (Exception ex) when (ex is IOException or ConnectionResetException or InvalidOperationException)
        {
        }
        finally
        {
            await input.CompleteAsync();
        }
    }

    /// <summary>Discards input until the client closes, the time is up, or (if asked) the first bytes arrived.</summary>
    private static async Task ReadForAsync(System.IO.Pipelines.PipeReader input, TimeSpan time, bool untilAnyData)
    {
        using var timeout = new CancellationTokenSource(time);
        try
        {
            while (true)
            {
                var read = await input.ReadAsync(timeout.Token);
                bool gotData = !read.Buffer.IsEmpty;
                input.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted || (untilAnyData && gotData))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Refusing connections with 503: {Limit} concurrent connections are open (--max-connections); {Refused} refused so far")]
        public static partial void Refusing(ILogger logger, int limit, long refused);
    }
}
