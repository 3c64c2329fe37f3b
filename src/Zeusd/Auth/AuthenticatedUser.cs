using Zeusd.Api;

namespace Zeusd.Auth;

/// <summary>The verified claims of the request's bearer token, attached to the request by the access gate.</summary>
public sealed record AuthenticatedUser(string Subject, IReadOnlyList<ApiGroup> Scopes, long? ExpiresAt);
