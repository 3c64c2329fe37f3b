using Microsoft.Extensions.Logging;

namespace Zeusd.Auth;

/// <summary>Turns <c>--signing-key-path</c> into the daemon's token verifier (null: authentication off).</summary>
public static partial class AuthSetup
{
    /// <summary>Loads and checks the key (a <see cref="Zeusd.Common.StartupException"/> on any problem with the file).</summary>
    public static ITokenVerifier? CreateVerifier(string? signingKeyPath, TimeProvider time, ILogger logger)
    {
        if (signingKeyPath is null)
        {
            return null;
        }
        var key = SigningKey.Load(signingKeyPath);
        Log.Enabled(logger, signingKeyPath);
        return new JwtVerifier(key, time, logger);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "JWT authentication enabled (key loaded from {Path})")]
        public static partial void Enabled(ILogger logger, string path);
    }
}
