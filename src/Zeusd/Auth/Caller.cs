using Zeusd.Policy;
using Zeusd.Transports;

namespace Zeusd.Auth;

/// <summary>
/// Who sent a request: the verified bearer token, if any; under a policy the Unix-socket peer's credentials and the
/// caller's rights; with <c>--restore</c> the connecting process (pid and start time) as the kernel names it. Write
/// hooks, the authorizer and the audit log see this, never the HTTP request.
/// </summary>
public sealed class Caller(AuthenticatedUser? token, CallerRights? rights = null, ConnectionProcess? process = null)
{
    /// <summary>A request with no token (authentication off, or not needed for the path) and no policy.</summary>
    public static Caller Anonymous { get; } = new(null);

    /// <summary>The daemon itself (restores at shutdown and startup).</summary>
    public static Caller Daemon { get; } = new(null) { IsDaemon = true };

    public AuthenticatedUser? Token => token;

    /// <summary>The caller's rights under <c>--policy</c>; null without a policy.</summary>
    public CallerRights? Rights => rights;

    /// <summary>The kernel's credentials of the Unix-socket peer (read only when a policy is on).</summary>
    public PeerCredentials? Peer => rights?.Peer;

    /// <summary>The connecting process (Unix socket only, read when <c>--restore</c> follows clients); null otherwise.</summary>
    public ConnectionProcess? Process => process;

    public bool IsDaemon { get; private init; }

    public bool IsAuthenticated => token is not null;

    /// <summary>The caller as the audit log names it.</summary>
    public string Describe() => IsDaemon ? "zeusd"
        : Peer is not null ? CallerDescription.Of(Peer, token?.Subject, withPid: true)
        : token is not null ? $"user '{token.Subject}'" : "unauthenticated caller";
}
