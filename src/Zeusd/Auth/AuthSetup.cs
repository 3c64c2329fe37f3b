using Microsoft.Extensions.Logging;
using Zeusd.Hosting;

namespace Zeusd.Auth;

/// <summary>Turns <c>--signing-key-path</c> into the daemon's token verifier (null: authentication off).</summary>
public static class AuthSetup
{
    public static ITokenVerifier? CreateVerifier(string? signingKeyPath, TimeProvider time, ILogger logger)
    {
        if (signingKeyPath is null)
        {
            return null;
        }
        _ = (time, logger);
        throw new StartupException("JWT authentication is not available in this build yet");
    }
}
