using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Zeusd.Transports;

namespace Zeusd.Policy;

/// <summary>
/// Who is at the other end of one connection, kept in the connection's items: the Unix-socket peer's credentials (null
/// over TCP and named pipes) and the rights last computed for it, so a connection's requests resolve credentials and
/// matching grants once, not per request. The cache is one immutable object replaced whole, so concurrent requests on
/// one connection (HTTP/2) at worst compute the same rights twice.
/// </summary>
public sealed class ConnectionIdentity(PeerCredentials? peer)
{
    // In the items, not as a feature of its own: Kestrel finds a feature it does not know by walking the request's and
    // then the connection's extra features, which perf put at two thirds of the policy gate's CPU (BENCHMARKS.md,
    // issue 17); the items feature is one of the connection's own fields.
    private static readonly object ItemKey = new();

    private CallerRights? _rights;

    /// <summary>The identity of a request's connection; null on a connection that was not given one.</summary>
    public static ConnectionIdentity? Of(HttpContext context) =>
        context.Features.Find<IConnectionItemsFeature>()?.Items.TryGetValue(ItemKey, out var identity) == true
            ? identity as ConnectionIdentity
            : null;

    /// <summary>Gives a new connection its identity.</summary>
    public void AttachTo(ConnectionContext connection) => connection.Items[ItemKey] = this;

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
