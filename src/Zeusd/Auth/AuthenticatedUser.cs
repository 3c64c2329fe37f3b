using Zeusd.Configuration;

namespace Zeusd.Auth;

/// <summary>
/// The verified claims of the request's bearer token, attached to the request by the access gate.
/// <see cref="ExpiresAt"/> is the token's <c>exp</c> (Unix seconds), null for a token that never expires;
/// <see cref="Gpus"/> the GPUs its <c>gpus</c> claim lets it control (ascending), null for every GPU.
/// </summary>
public sealed record AuthenticatedUser(string Subject, IReadOnlyList<ApiGroup> Scopes, ulong? ExpiresAt, int[]? Gpus = null);
