using Zeusd.Configuration;

namespace Zeusd.Hosting;

/// <summary><c>zeusd serve</c>: build the daemon, serve until SIGTERM/SIGINT, tear it down.</summary>
public static class ZeusdDaemon
{
    public static async Task RunAsync(ServeOptions options, CancellationToken cancellation)
    {
        InlineSocketCompletions.PreferUnlessSet();
        if (options.NumWorkers is { } workers)
        {
            ThreadPool.GetMinThreads(out _, out int io);
            ThreadPool.SetMinThreads(workers, io);
        }
        var host = DaemonHost.Build(options, TimeProvider.System);
        try
        {
            await host.RunAsync(cancellation);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }
}
