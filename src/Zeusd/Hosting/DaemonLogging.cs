using Microsoft.Extensions.Logging;

namespace Zeusd.Hosting;

/// <summary>
/// The daemon's logger factory, created before anything else so that device initialization logs in the original's
/// order, and handed to the web host so that Kestrel logs through the same providers.
/// </summary>
public static class DaemonLogging
{
    public static ILoggerFactory CreateFactory(LogLevel level) => LoggerFactory.Create(logging =>
    {
        logging.SetMinimumLevel(level);
        // Framework chatter only when debugging.
        logging.AddFilter("Microsoft", level <= LogLevel.Debug ? level : LogLevel.Warning);
        ConsoleLogFormat.AddConsole(logging, ConsoleLogFormat.IsUnderSystemd(Environment.GetEnvironmentVariable));
    });
}
