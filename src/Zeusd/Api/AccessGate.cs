using Microsoft.Extensions.Logging;
using Zeusd.Auth;
using Zeusd.Configuration;
using Zeusd.Policy;

namespace Zeusd.Api;

/// <summary>
/// Decides, before a route runs, whether the request may proceed (contract §6.4), from the API group the matched route
/// declared: a disabled group's routes are 404 whatever the token; with auth off <c>/auth/*</c> is 404; with auth on
/// every path but <c>/discover</c> and <c>/time</c> needs a valid bearer token, and a group's route needs its scope.
/// A path no route has belongs to no group: with auth on it needs a valid token, then it is a 404. With
/// <c>--policy</c>, the caller's rights (peer credentials and token subject) must also include the group, and
/// <c>/auth/whoami</c> answers even with auth off.
/// </summary>
public sealed partial class AccessGate(IReadOnlyCollection<ApiGroup> enabledGroups, ITokenVerifier? verifier, CallerSource callers,
    ILogger<AccessGate> logger, PolicyGate? policy = null)
{
    public const string AuthenticateHeaderValue = "Bearer realm=\"zeusd\"";
    public const string AuthRequiredMessage = "Authentication required. Provide an Authorization: Bearer <token> header.";
    public const string AuthDisabledMessage = "Authentication is not enabled on this server.";

    private readonly bool[] _enabled = [.. ApiGroups.All.Select(enabledGroups.Contains)];

    /// <returns>null to let the request through, else the task writing the refusal.</returns>
    /// <param name="caller">The caller the gate identified (authentication or a policy on), for the routes; else null.</param>
    public Task? Refuse(HttpContext context, string path, ApiGroup? group, out Caller? caller)
    {
        caller = null;
        if (group is { } g && !_enabled[(int)g])
        {
            return Responses.Error(context.Response, StatusCodes.Status404NotFound,
                $"API group '{g.WireName()}' is not enabled on this server.");
        }
        if (verifier is null)
        {
            if (policy is not null)
            {
                return Admit(context, null, path, group, out caller);
            }
            return path.StartsWith("/auth/", StringComparison.Ordinal)
                ? Responses.Error(context.Response, StatusCodes.Status404NotFound, AuthDisabledMessage)
                : null;
        }
        if (path is "/discover" or "/time")
        {
            return null;
        }

        // Exactly one header: with several, which one counts would be ambiguous, so none does.
        var headers = context.Request.Headers.Authorization;
        string? header = headers.Count == 1 ? headers[0] : null;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.Ordinal) || !IsVisibleAscii(header))
        {
            return Unauthorized(context, AuthRequiredMessage);
        }
        var verdict = verifier.Verify(header["Bearer ".Length..]);
        if (verdict.User is not { } user)
        {
            if (logger.IsEnabled(LogLevel.Debug))
            {
                // The reason can quote the token's own text; keep it on one log line.
                Log.Rejected(logger, path, EscapeControlCharacters(verdict.Error!));
            }
            return Unauthorized(context, verdict.Error!);
        }
        if (group is { } needed && !user.Scopes.Contains(needed))
        {
            string scopes = string.Join(", ", user.Scopes.Select(s => $"'{s.WireName()}'"));
            return Responses.Error(context.Response, StatusCodes.Status403Forbidden,
                $"Token for user '{user.Subject}' lacks required scope '{needed.WireName()}'. Token scopes: [{scopes}]");
        }
        Log.Authenticated(logger, user.Subject, path);
        if (policy is not null)
        {
            return Admit(context, user, path, group, out caller);
        }
        caller = new Caller(user, null, callers.ProcessOf(context));
        return null;
    }

    /// <summary>The policy's decision on the group; the caller comes with its rights.</summary>
    private Task? Admit(HttpContext context, AuthenticatedUser? user, string path, ApiGroup? group, out Caller? caller)
    {
        if (policy!.Check(context, user?.Subject, path, group, out var rights) is { } denial)
        {
            caller = null;
            return Responses.Error(context.Response, StatusCodes.Status403Forbidden, denial);
        }
        caller = new Caller(user, rights, callers.ProcessOf(context));
        return null;
    }

    private static Task Unauthorized(HttpContext context, string message)
    {
        context.Response.Headers.WWWAuthenticate = AuthenticateHeaderValue;
        return Responses.Error(context.Response, StatusCodes.Status401Unauthorized, message);
    }

    private static string EscapeControlCharacters(string text) =>
        text.Any(char.IsControl) ? string.Concat(text.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString())) : text;

    /// <summary>The header must be visible ASCII (spaces and tabs allowed, as HTTP header values) to be read at all.</summary>
    private static bool IsVisibleAscii(string value)
    {
        foreach (char c in value)
        {
            if (c is (< ' ' and not '\t') or > '~')
            {
                return false;
            }
        }
        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Authenticated request user={User} path={Path}")]
        public static partial void Authenticated(ILogger logger, string user, string path);

        [LoggerMessage(2, LogLevel.Debug, "Rejected token for {Path}: {Reason}")]
        public static partial void Rejected(ILogger logger, string path, string reason);
    }
}
