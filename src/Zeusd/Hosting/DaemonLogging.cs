using Microsoft.Extensions.Logging;
using Zeusd.Logging;

namespace Zeusd.Hosting;

/// <summary>
/// The daemon's logger factory, created before anything else so that device initialization logs in the original's
/// order, and handed to the web host so that Kestrel logs through the same providers.
/// </summary>
public static class DaemonLogging
{
    /// <param name="lines">
    /// The factory's only provider, for the loggers that write to it directly (the policy's audit line): another
    /// provider added here would not see their lines.
    /// </param>
    public static ILoggerFactory CreateFactory(LogLevel level, out LineLoggerProvider lines)
    {
        var provider = lines = new LineLoggerProvider(
            new LogLineWriter(Console.OpenStandardOutput(), LogLineStyles.FromEnvironment(Environment.GetEnvironmentVariable),
                LogLineWriter.DefaultCoalescing),
            TimeProvider.System);
        return LoggerFactory.Create(logging =>
        {
            logging.SetMinimumLevel(level);
            // Framework chatter only when debugging.
            logging.AddFilter("Microsoft", level <= LogLevel.Debug ? level : LogLevel.Warning);
            // Hosting creates an Activity (a random W3C trace id, a log scope) for every request whenever this category
            // is enabled at any level: about 6 % of the daemon's CPU under load (perf, BENCHMARKS.md). It logs only
            // request starts and ends (unhandled exceptions are Kestrel's category), so it is on only when debugging.
            logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", level <= LogLevel.Debug ? level : LogLevel.None);
            // Registered through a factory, so the container owns it and disposing the logger factory flushes it; an
            // instance given to AddProvider is never disposed, and the last lines before an exit would be lost.
            logging.Services.AddSingleton<ILoggerProvider>(_ => provider);
        });
    }
}
