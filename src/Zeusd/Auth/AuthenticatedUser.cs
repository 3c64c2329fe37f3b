using Zeusd.Configuration;

namespace Zeusd.Auth;

/// <summary>
/// The verified claims of the request's bearer token, attached to the request by the access gate.
/// <see cref="ExpiresAt"/> is the token's <c>exp</c> (Unix seconds), null for a token that never expires.
/// </summary>
public sealed record AuthenticatedUser(string Subject, IReadOnlyList<ApiGroup> Scopes, ulong? ExpiresAt);
