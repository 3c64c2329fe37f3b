using Zeusd.Auth;

namespace Zeusd.Api;

/// <summary>
/// <c>GET /auth/whoami</c> (contract §4.3), refused by the gate unless authentication is on: echoes the caller's verified token,
/// <c>{"sub":"alice","scopes":["gpu-read","cpu-read"],"exp":9999999999}</c>, scopes in token order and <c>exp</c> only
/// when the token has one. The access gate has already required a valid token of any scope.
/// </summary>
public static class WhoamiRoute
{
    public const string Path = "/auth/whoami";

    public static void Register(RouteTable routes) => routes.Get(Path, group: null, Whoami);

    public static Task Whoami(HttpContext context)
    {
        if (Caller.Of(context).Token is not { } user)
        {
            // Unreachable behind the gate; answered as a missing token rather than trusted.
            context.Response.Headers.WWWAuthenticate = AccessGate.AuthenticateHeaderValue;
            return Responses.Error(context.Response, StatusCodes.Status401Unauthorized, AccessGate.AuthRequiredMessage);
        }
        return Responses.Json(context.Response, StatusCodes.Status200OK, user,
            static (writer, user) => ClaimsJson.Write(writer, user.Subject, user.Scopes, user.ExpiresAt));
    }
}
