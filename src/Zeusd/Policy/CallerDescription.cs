namespace Zeusd.Policy;

/// <summary>How denials and audit lines name a caller: the socket peer's user and uid, the token's subject, or both.</summary>
public static class CallerDescription
{
    public const string Anonymous = "anonymous caller";

    /// <summary>
    /// <c>user 'alice' (uid 1001)</c> (or <c>uid 1234</c> without a name; with the pid for audit lines),
    /// <c>token subject 'ci'</c>, both joined by "with", or <see cref="Anonymous"/>.
    /// </summary>
    public static string Of(PeerCredentials? peer, string? subject, bool withPid = false)
    {
        string? who = peer is null ? null : (peer.UserName, withPid) switch
        {
            (null, false) => $"uid {peer.Uid}",
            (null, true) => $"uid {peer.Uid} (pid {peer.Pid})",
            ({ } name, false) => $"user '{name}' (uid {peer.Uid})",
            ({ } name, true) => $"user '{name}' (uid {peer.Uid}, pid {peer.Pid})",
        };
        return (who, subject) switch
        {
            (null, null) => Anonymous,
            (null, { } sub) => $"token subject '{sub}'",
            ({ } w, null) => w,
            ({ } w, { } sub) => $"{w} with token subject '{sub}'",
        };
    }
}
