using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Zeusd.Configuration;
using Zeusd.Common;
using Zeusd.Compat;

namespace Zeusd.Auth;

/// <summary>
/// Creates the tokens <c>zeusd token issue</c> prints: HS256 JWTs with the header <c>{"typ":"JWT","alg":"HS256"}</c>
/// and the claims <c>sub</c>, <c>scopes</c> and (unless the token never expires) <c>exp</c>, in that order, exactly as
/// the original daemon issues them. Built directly rather than with JsonWebTokenHandler.CreateToken, which writes
/// <c>alg</c> first and adds <c>iat</c>/<c>nbf</c> claims the original never issues.
/// </summary>
public static class TokenIssuer
{
    /// <summary>base64url of <c>{"typ":"JWT","alg":"HS256"}</c>.</summary>
    internal static readonly string EncodedHeader = Base64Url.EncodeToString("""{"typ":"JWT","alg":"HS256"}"""u8);

    public static string Issue(string signingKeyPath, string user, IReadOnlyList<ApiGroup> scopes, string expires, TimeProvider time)
    {
        var key = SigningKey.Load(signingKeyPath);
        ulong? expiresAt = ExpiryOf(expires, time);
        return Create(key, user, scopes, expiresAt);
    }

    /// <summary>
    /// The <c>exp</c> for an <c>--expires</c> value: none for <c>never</c>/<c>0</c>, otherwise now plus the duration,
    /// rounded down to whole seconds. The value is lowercased first, so <c>1M</c> is one minute, as in the original.
    /// </summary>
    public static ulong? ExpiryOf(string expires, TimeProvider time)
    {
        string text = expires.Trim().ToLowerInvariant();
        if (text is "never" or "0")
        {
            return null;
        }
        if (!HumantimeDuration.TryParse(text, out var duration, out string? error))
        {
            throw new StartupException(InvalidDuration(expires, error));
        }
        var now = time.GetUtcNow();
        UInt128 nowNanos = (UInt128)(ulong)Math.Max(0, now.UtcTicks - DateTime.UnixEpoch.Ticks) * 100;
        UInt128 seconds = (nowNanos + (UInt128)duration.Seconds * 1_000_000_000 + duration.Nanoseconds) / 1_000_000_000;
        if (seconds > ulong.MaxValue)
        {
            throw new StartupException(InvalidDuration(expires, "number is too large"));
        }
        return (ulong)seconds;
    }

    /// <summary>The original prints the parser's message as an error cause, the way Rust's anyhow does.</summary>
    private static string InvalidDuration(string raw, string cause) =>
        $"Invalid duration '{raw}'. Use e.g. '1h', '7d', '30d', or 'never'.\n\nCaused by:\n    {cause}";

    /// <summary>Signs a token for the claims.</summary>
    internal static string Create(SigningKey key, string user, IReadOnlyList<ApiGroup> scopes, ulong? expiresAt)
    {
        var claims = CompactJson.Serialize((user, scopes, expiresAt),
            static (writer, state) => ClaimsJson.Write(writer, state.user, state.scopes, state.expiresAt));
        string signingInput = EncodedHeader + "." + Base64Url.EncodeToString(claims);
        byte[] mac = HMACSHA256.HashData(key.Bytes, Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url.EncodeToString(mac);
    }
}
