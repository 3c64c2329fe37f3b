using Microsoft.Extensions.Logging;

namespace Zeusd.Cli;

/// <summary>Log level names accepted by <c>--log-level</c>, <c>ZEUSD_LOG</c> and, for drop-in use, <c>RUST_LOG</c>.</summary>
public static class LogLevels
{
    public static readonly string[] Names = ["trace", "debug", "info", "warn", "error", "off"];

    public static LogLevel? TryParse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "info" => LogLevel.Information,
        "warn" or "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "off" => LogLevel.None,
        _ => null,
    };

    /// <summary>The level when no flag is given: <c>ZEUSD_LOG</c>, else a plain-level <c>RUST_LOG</c>, else info.</summary>
    public static LogLevel FromEnvironment() =>
        TryParse(Environment.GetEnvironmentVariable("ZEUSD_LOG"))
        ?? TryParse(Environment.GetEnvironmentVariable("RUST_LOG"))
        ?? LogLevel.Information;
}
