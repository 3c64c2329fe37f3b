using Zeusd.Auth;

namespace Zeusd.Api;

/// <summary>Who sent a request, for the audit log of control commands.</summary>
public static class Caller
{
    public static bool IsAuthenticated(HttpContext context) => context.Features.Get<AuthenticatedUser>() is not null;

    public static string Describe(HttpContext context) =>
        context.Features.Get<AuthenticatedUser>() is { } user ? $"user '{user.Subject}'" : "unauthenticated caller";
}
