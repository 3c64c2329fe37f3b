using Zeusd.Transports;

namespace Zeusd.Auth;

/// <summary>
/// Who sent a request: the verified bearer token, if any, and on a Unix socket the connecting process as the kernel
/// names it. Write hooks, the authorizer and the audit log see this, never the HTTP request.
/// </summary>
public sealed class Caller(AuthenticatedUser? token, PeerCredentials? peer = null)
{
    /// <summary>A request with no token (authentication off, or not needed for the path).</summary>
    public static Caller Anonymous { get; } = new(null);

    /// <summary>The daemon itself (restores at shutdown and startup).</summary>
    public static Caller Daemon { get; } = new(null) { IsDaemon = true };

    public AuthenticatedUser? Token => token;

    /// <summary>The connecting process (Unix socket only, when its credentials were read); null otherwise.</summary>
    public PeerCredentials? Peer => peer;

    public bool IsDaemon { get; private init; }

    public bool IsAuthenticated => token is not null;

    /// <summary>The caller as the audit log names it.</summary>
    public string Describe() => IsDaemon ? "zeusd" : token is not null ? $"user '{token.Subject}'" : "unauthenticated caller";

    /// <summary>The caller of a request, as the access gate attached it, else the connection's peer, if known.</summary>
    public static Caller Of(HttpContext context) =>
        context.Features.Get<Caller>() ?? (PeerCredentials.Of(context) is { } peer ? new Caller(null, peer) : Anonymous);
}
