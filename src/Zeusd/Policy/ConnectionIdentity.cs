namespace Zeusd.Policy;

/// <summary>
/// Who is at the other end of one connection, as a connection feature: the Unix-socket peer's credentials (null over
/// TCP and named pipes) and the rights last computed for it, so a connection's requests resolve credentials and matching
/// grants once, not per request. The cache is one immutable object replaced whole, so concurrent requests on one
/// connection (HTTP/2) at worst compute the same rights twice.
/// </summary>
public sealed class ConnectionIdentity(PeerCredentials? peer)
{
    private CallerRights? _rights;

    public PeerCredentials? Peer { get; } = peer;

    /// <summary>The caller's rights under <paramref name="policy"/> with this token subject (null: no token).</summary>
    public CallerRights RightsUnder(AccessPolicy policy, string? subject)
    {
        var cached = Volatile.Read(ref _rights);
        if (cached is not null && ReferenceEquals(cached.Policy, policy) && string.Equals(cached.Subject, subject, StringComparison.Ordinal))
        {
            return cached;
        }
        var rights = policy.RightsOf(Peer, subject);
        Volatile.Write(ref _rights, rights);
        return rights;
    }
}
