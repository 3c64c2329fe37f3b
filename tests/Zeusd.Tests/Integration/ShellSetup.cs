namespace Zeusd.Tests.Integration;

/// <summary>A command prefix that runs a shell setup step (<c>umask 000</c>, <c>ulimit -n 512</c>) and then execs the daemon.</summary>
public static class ShellSetup
{
    public static string[] Prefix(string setup) => ["sh", "-c", $"{setup} && exec \"$@\"", "sh"];
}
