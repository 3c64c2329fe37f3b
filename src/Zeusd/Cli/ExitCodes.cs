namespace Zeusd.Cli;

/// <summary>Process exit codes, as the original daemon (clap) uses them.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    /// <summary>The daemon could not start or a command failed at run time.</summary>
    public const int RuntimeError = 1;
    /// <summary>The command line itself is wrong.</summary>
    public const int UsageError = 2;
}
