namespace Zeusd.Policy;

/// <summary>How denials and audit lines name a caller: the socket peer's user and uid, the token's subject, or both.</summary>
public static class CallerDescription
{
    public const string Anonymous = "anonymous caller";

    /// <summary><c>user 'alice' (uid 1001)</c>, <c>token subject 'ci'</c>, both joined by "with", or <see cref="Anonymous"/>.</summary>
    public static string Of(PeerCredentials? peer, string? subject) => (peer, subject) switch
    {
        (null, null) => Anonymous,
        (null, { } sub) => $"token subject '{sub}'",
        ({ } p, null) => p.ToString(),
        ({ } p, { } sub) => $"{p} with token subject '{sub}'",
    };
}
