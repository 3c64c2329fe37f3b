namespace Zeusd.Logging;

/// <summary>How a log line starts: what a terminal reader wants, or what the journal parses.</summary>
public enum LogLineStyle
{
    /// <summary><c>2026-12-02T18:50:22.285Z info: Category[1] message</c>: UTC timestamp and level name.</summary>
    Terminal,

    /// <summary>
    /// <c>&lt;6&gt;Category[1] message</c>: under systemd stdout goes to the journal, which stamps each line itself and
    /// reads a leading <c>&lt;N&gt;</c> as the syslog priority (<c>journalctl -p warning</c> then filters).
    /// </summary>
    Journal,
}

public static class LogLineStyles
{
    /// <summary>
    /// Journal when systemd started this process: it sets <c>JOURNAL_STREAM</c> when stdout/stderr go to the journal
    /// and <c>INVOCATION_ID</c> for every service it runs; terminal otherwise.
    /// </summary>
    public static LogLineStyle FromEnvironment(Func<string, string?> getEnvironmentVariable) =>
        !string.IsNullOrEmpty(getEnvironmentVariable("JOURNAL_STREAM")) || !string.IsNullOrEmpty(getEnvironmentVariable("INVOCATION_ID"))
            ? LogLineStyle.Journal
            : LogLineStyle.Terminal;
}
