using System.Text.Json;
using Zeusd.Auth;

namespace Zeusd.Api;

/// <summary>
/// <c>GET /auth/whoami</c> (contract §4.3), refused by the gate unless authentication or a policy is on. With a token:
/// the token's claims, <c>{"sub":"alice","scopes":["gpu-read","cpu-read"],"exp":9999999999}</c>, scopes in token order
/// and <c>exp</c> only when the token has one. Under a policy, then: the socket peer's <c>uid</c>, <c>gid</c>,
/// <c>pid</c> and <c>user</c> (when the uid has a name), the matching <c>grants</c>. Last, <c>gpus</c>: the GPUs the
/// caller may control (policy and token <c>gpus</c> claim together), omitted when that is every GPU.
/// </summary>
public static class WhoamiRoute
{
    public const string Path = "/auth/whoami";

    public static void Register(RouteTable routes) => routes.Get(Path, group: null, Whoami);

    public static Task Whoami(HttpContext context, Caller caller)
    {
        if (caller.Token is null && caller.Rights is null)
        {
            // Unreachable behind the gate; answered as a missing token rather than trusted.
            context.Response.Headers.WWWAuthenticate = AccessGate.AuthenticateHeaderValue;
            return Responses.Error(context.Response, StatusCodes.Status401Unauthorized, AccessGate.AuthRequiredMessage);
        }
        return Responses.Json(context.Response, StatusCodes.Status200OK, caller, Write);
    }

    private static void Write(Utf8JsonWriter writer, Caller caller)
    {
        writer.WriteStartObject();
        if (caller.Token is { } user)
        {
            ClaimsJson.WriteFields(writer, user.Subject, user.Scopes, user.ExpiresAt, gpus: null);
        }
        if (caller.Peer is { } peer)
        {
            writer.WriteNumber("uid"u8, peer.Uid);
            writer.WriteNumber("gid"u8, peer.Gid);
            writer.WriteNumber("pid"u8, peer.Pid);
            if (peer.UserName is { } name)
            {
                writer.WriteString("user"u8, name);
            }
        }
        if (caller.Rights is { } rights)
        {
            writer.WriteStartArray("grants"u8);
            foreach (var grant in rights.Grants)
            {
                writer.WriteStringValue(grant.Name);
            }
            writer.WriteEndArray();
        }
        if (ControllableGpus(caller.Rights?.ControllableGpus, caller.Token?.Gpus) is { } gpus)
        {
            ClaimsJson.WriteGpus(writer, gpus);
        }
        writer.WriteEndObject();
    }

    /// <summary>Both limits apply: the policy's GPUs and the token's; null (every GPU) only when neither limits.</summary>
    private static int[]? ControllableGpus(int[]? policy, int[]? token) =>
        policy is null ? token : token is null ? policy : [.. policy.Intersect(token)];
}
