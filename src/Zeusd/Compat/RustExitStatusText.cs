namespace Zeusd.Compat;

/// <summary>How Rust's <c>ExitStatus</c> displays a process killed by a signal on Linux: <c>signal: 9 (SIGKILL)</c>.</summary>
public static class RustExitStatusText
{
    private static readonly string[] Names =
    [
        "", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1",
        "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP",
        "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR",
        "SIGSYS",
    ];

    public static string Signal(int signal) =>
        signal > 0 && signal < Names.Length ? $"signal: {signal} ({Names[signal]})" : $"signal: {signal}";
}
