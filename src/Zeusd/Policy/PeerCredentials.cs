namespace Zeusd.Policy;

/// <summary>
/// The kernel's credentials of a Unix-socket peer, captured when it connected (<c>SO_PEERCRED</c>,
/// <c>SO_PEERGROUPS</c>), and the user name of the uid (null when the uid has no entry).
/// </summary>
public sealed record PeerCredentials(uint Uid, uint Gid, int Pid, uint[] SupplementaryGroups, string? UserName)
{
    /// <summary>uid 0 could do everything zeusd does without it; a policy never restricts it.</summary>
    public bool IsRoot => Uid == 0;

    /// <summary><c>user 'alice' (uid 1001)</c>, or <c>uid 1234</c> for a uid without a name.</summary>
    public override string ToString() => CallerDescription.Of(this, null);
}
