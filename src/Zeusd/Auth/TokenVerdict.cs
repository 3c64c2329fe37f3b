namespace Zeusd.Auth;

/// <summary>The outcome of verifying a bearer token: the user, or the 401 error text.</summary>
public readonly record struct TokenVerdict(AuthenticatedUser? User, string? Error)
{
    public static TokenVerdict Accepted(AuthenticatedUser user) => new(user, null);

    public static TokenVerdict Rejected(string error) => new(null, error);
}
