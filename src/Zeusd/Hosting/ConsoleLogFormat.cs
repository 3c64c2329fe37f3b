using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Zeusd.Hosting;

/// <summary>
/// The console log format. Under systemd, stdout goes to the journal, which stamps each line itself and reads a
/// leading <c>&lt;N&gt;</c> as the syslog priority: the console logger's systemd formatter writes exactly that (no
/// timestamp, no colors; <c>journalctl -p warning</c> then filters). Anywhere else: one UTC-timestamped line per event.
/// </summary>
public static class ConsoleLogFormat
{
    /// <summary>
    /// True when systemd started this process: it sets <c>JOURNAL_STREAM</c> when stdout/stderr go to the journal and
    /// <c>INVOCATION_ID</c> for every service it runs.
    /// </summary>
    public static bool IsUnderSystemd(Func<string, string?> getEnvironmentVariable) =>
        !string.IsNullOrEmpty(getEnvironmentVariable("JOURNAL_STREAM")) ||
        !string.IsNullOrEmpty(getEnvironmentVariable("INVOCATION_ID"));

    public static void AddConsole(ILoggingBuilder logging, bool underSystemd)
    {
        if (underSystemd)
        {
            logging.AddSystemdConsole(o =>
            {
                o.IncludeScopes = false;
                o.TimestampFormat = null;
            });
            return;
        }
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.ColorBehavior = LoggerColorBehavior.Disabled;
        });
    }
}
