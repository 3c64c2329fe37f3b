using Zeusd.Api;
using Zeusd.Hosting;

namespace Zeusd.Auth;

/// <summary>Creates the tokens <c>zeusd token issue</c> prints.</summary>
public static class TokenIssuer
{
    public static string Issue(string signingKeyPath, string user, IReadOnlyList<ApiGroup> scopes, string expires, TimeProvider time)
    {
        _ = (signingKeyPath, user, scopes, expires, time);
        throw new StartupException("token issuing is not available in this build yet");
    }
}
