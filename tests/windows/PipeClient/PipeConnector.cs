using System.IO.Pipes;

namespace Zeusd.PipeClient;

/// <summary>
/// Opens the transport of every HTTP connection: a client end of the named pipe instead of a TCP socket. HttpClient's
/// <see cref="SocketsHttpHandler.ConnectCallback"/> then speaks HTTP/1.1 over it, so no HTTP is written by hand here.
/// </summary>
public sealed class PipeConnector(string pipeName, TimeSpan connectTimeout)
{
    public const string Prefix = @"\\.\pipe\";

    /// <summary><c>\\.\pipe\zeusd</c> and <c>zeusd</c> name the same pipe; the client API wants the bare name.</summary>
    public string BareName { get; } =
        pipeName.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? pipeName[Prefix.Length..] : pipeName;

    public SocketsHttpHandler CreateHandler() => new()
    {
        ConnectCallback = ConnectAsync,
        // One request per process: nothing to pool.
        PooledConnectionLifetime = TimeSpan.Zero,
    };

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellation)
    {
        var pipe = new NamedPipeClientStream(".", BareName, PipeDirection.InOut, PipeOptions.Asynchronous);
        try
        {
            // Waits for the pipe to exist (or for a free instance) up to the timeout.
            await pipe.ConnectAsync((int)connectTimeout.TotalMilliseconds, cancellation);
            return pipe;
        }
        catch
        {
            await pipe.DisposeAsync();
            throw;
        }
    }
}
