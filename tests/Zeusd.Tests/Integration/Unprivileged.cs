namespace Zeusd.Tests.Integration;

/// <summary>Runs the daemon as an unprivileged user (nobody, uid 65534) through util-linux's setpriv.</summary>
public static class Unprivileged
{
    public static readonly string[] Prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"];
}
