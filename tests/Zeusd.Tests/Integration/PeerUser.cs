namespace Zeusd.Tests.Integration;

/// <summary>
/// Credentials a test client runs with, through util-linux's <c>setpriv</c> (names or numeric ids, as setpriv takes
/// them), so the daemon sees them as the kernel's peer credentials of the connection.
/// </summary>
public sealed record PeerUser(string Uid, string Gid, params string[] Groups)
{
    /// <summary>Debian's unprivileged <c>nobody</c> (65534) with its group <c>nogroup</c> and no supplementary groups.</summary>
    public static readonly PeerUser Nobody = new("nobody", "nogroup");

    public string[] Prefix =>
        ["setpriv", $"--reuid={Uid}", $"--regid={Gid}", Groups.Length == 0 ? "--clear-groups" : $"--groups={string.Join(',', Groups)}", "--"];
}
