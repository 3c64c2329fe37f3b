using System.Buffers;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Zeusd.Auth;

/// <summary>
/// Verifies HS256 bearer tokens (contract §6.4 step 5). The checks run in the order of the original daemon's JWT
/// library, so a bad token gets the same 401 text: shape, header (base64, JSON, <c>alg</c>), signature, payload
/// (base64, claims), expiry with 60 s leeway, audience. A token that passes is then validated a second time by
/// Microsoft.IdentityModel's <see cref="JsonWebTokenHandler"/> (HS256 only, same key): acceptance needs both to agree,
/// so a gap in either parser cannot let a forged token through. Accepted tokens are cached by their exact text, so the
/// steady state costs one dictionary lookup and an expiry comparison per request.
/// </summary>
public sealed partial class JwtVerifier : ITokenVerifier
{
    /// <summary>Tokens zeusd issues are a few hundred bytes; anything this long is refused before any decoding work.</summary>
    public const int MaxTokenLength = 16 * 1024;

    /// <summary>Seconds an <c>exp</c> may lie in the past and still be accepted (the original's default leeway).</summary>
    public const long LeewaySeconds = 60;

    public const string ExpiredMessage = "Token has expired.";
    public const string InvalidPrefix = "Invalid token: ";

    // Only tokens signed with the key get cached, so the cache grows only as fast as a key holder mints tokens.
    private const int CacheCapacity = 1024;
    private const int MaxCachedTokenLength = 2048;

    private static readonly TokenVerdict InvalidToken = TokenVerdict.Rejected(InvalidPrefix + "InvalidToken");
    private static readonly TokenVerdict InvalidSignature = TokenVerdict.Rejected(InvalidPrefix + "InvalidSignature");
    private static readonly TokenVerdict InvalidAlgorithm = TokenVerdict.Rejected(InvalidPrefix + "InvalidAlgorithm");
    private static readonly TokenVerdict InvalidAudience = TokenVerdict.Rejected(InvalidPrefix + "InvalidAudience");
    private static readonly TokenVerdict Expired = TokenVerdict.Rejected(ExpiredMessage);

    /// <summary>The header <c>zeusd token issue</c> writes, base64url-encoded.</summary>
    private static readonly byte[] IssuedHeader = Encoding.ASCII.GetBytes(TokenIssuer.EncodedHeader);

    // One keyed HMAC per thread: reusing it costs half of the one-shot API, which sets up the key on every call.
    private readonly ThreadLocal<HMACSHA256> _hmac;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly JsonWebTokenHandler _handler = new() { MaximumTokenSizeInBytes = MaxTokenLength };
    private readonly TokenValidationParameters _parameters;
    private readonly ConcurrentDictionary<string, AuthenticatedUser> _accepted = new(StringComparer.Ordinal);

    public JwtVerifier(SigningKey key, TimeProvider time, ILogger logger)
    {
        byte[] secret = key.Bytes;
        _hmac = new ThreadLocal<HMACSHA256>(() => new HMACSHA256(secret));
        _time = time;
        _logger = logger;
        _parameters = new TokenValidationParameters
        {
            IssuerSigningKey = new SymmetricSecurityKey(key.Bytes),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireSignedTokens = true,
            // The claims rules (exp with the contract's leeway and u64 range, aud rejected, no iss) are enforced above;
            // the library's differ in detail (leeway, required exp), so here it checks the signature and algorithm only.
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
            ValidateIssuerSigningKey = false,
            ValidateTokenReplay = false,
            SaveSigninToken = false,
        };
    }

    public TokenVerdict Verify(string token)
    {
        if (_accepted.TryGetValue(token, out var cached))
        {
            if (!IsExpired(cached.ExpiresAt))
            {
                return TokenVerdict.Accepted(cached);
            }
            _accepted.TryRemove(token, out _);
            return Expired;
        }
        try
        {
            var verdict = VerifyUncached(token);
            if (verdict.User is { } user && token.Length <= MaxCachedTokenLength)
            {
                if (_accepted.Count >= CacheCapacity)
                {
                    _accepted.Clear();
                }
                _accepted[token] = user;
            }
            return verdict;
        }
        catch (Exception ex)
        {
            // Never a 500 for a token: an unforeseen failure is a rejection, and worth a warning.
            Log.VerifierFailed(_logger, ex);
            return InvalidToken;
        }
    }

    private TokenVerdict VerifyUncached(string token)
    {
        if (token.Length > MaxTokenLength)
        {
            return InvalidToken;
        }
        byte[] rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(token.Length));
        try
        {
            int length = Encoding.UTF8.GetBytes(token, rented);
            var verdict = VerifyBytes(rented.AsSpan(0, length));
            if (verdict.User is not null && !LibraryAccepts(token))
            {
                Log.LibraryDisagrees(_logger);
                return InvalidToken;
            }
            return verdict;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private TokenVerdict VerifyBytes(ReadOnlySpan<byte> token)
    {
        // header.payload.signature, split from the right as the original does: "a.b.c.d" has the header "a.b".
        int signatureDot = token.LastIndexOf((byte)'.');
        if (signatureDot < 0)
        {
            return InvalidToken;
        }
        var message = token[..signatureDot];
        var signature = token[(signatureDot + 1)..];
        int payloadDot = message.LastIndexOf((byte)'.');
        if (payloadDot < 0)
        {
            return InvalidToken;
        }

        // zeusd's own header is always the same text; only a foreign header needs decoding and parsing.
        var encodedHeader = message[..payloadDot];
        if (!encodedHeader.SequenceEqual(IssuedHeader))
        {
            if (Base64UrlSegment.Decode(encodedHeader, out string? headerError) is not { } header)
            {
                return TokenVerdict.Rejected(InvalidPrefix + "Base64 error: " + headerError);
            }
            if (JoseHeader.ReadAlgorithm(header, out string? algorithm) is { } headerJsonError)
            {
                return TokenVerdict.Rejected(InvalidPrefix + "JSON error: " + headerJsonError);
            }
            if (algorithm != SecurityAlgorithms.HmacSha256)
            {
                return InvalidAlgorithm;
            }
        }

        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        _hmac.Value!.TryComputeHash(message, mac, out _);
        Span<byte> expected = stackalloc byte[Base64Url.GetEncodedLength(HMACSHA256.HashSizeInBytes)];
        Base64Url.EncodeToUtf8(mac, expected);
        // Compared as text, like the original: only the canonical encoding of the right MAC matches.
        if (!CryptographicOperations.FixedTimeEquals(expected, signature))
        {
            return InvalidSignature;
        }

        if (Base64UrlSegment.Decode(message[(payloadDot + 1)..], out string? payloadError) is not { } payload)
        {
            return TokenVerdict.Rejected(InvalidPrefix + "Base64 error: " + payloadError);
        }
        if (TokenClaims.Read(payload, out var claims) is { } claimsError)
        {
            return TokenVerdict.Rejected(InvalidPrefix + "JSON error: " + claimsError);
        }
        if (IsExpired(claims!.ExpiresAt))
        {
            return Expired;
        }
        if (claims.HasAudience)
        {
            return InvalidAudience;
        }
        return TokenVerdict.Accepted(new AuthenticatedUser(claims.Subject, claims.Scopes, claims.ExpiresAt, claims.Gpus));
    }

    /// <summary>Expired iff <c>exp &lt; now - 60</c> in whole Unix seconds; no <c>exp</c> never expires.</summary>
    private bool IsExpired(ulong? expiresAt)
    {
        if (expiresAt is not { } exp)
        {
            return false;
        }
        long threshold = _time.GetUtcNow().ToUnixTimeSeconds() - LeewaySeconds;
        return threshold > 0 && exp < (ulong)threshold;
    }

    private bool LibraryAccepts(string token)
    {
        // With a fixed key and no metadata source the validation completes synchronously.
        var result = _handler.ValidateTokenAsync(token, _parameters).GetAwaiter().GetResult();
        if (!result.IsValid)
        {
            Log.LibraryRejected(_logger, result.Exception?.GetType().Name ?? "unknown", result.Exception?.Message ?? "");
        }
        return result.IsValid;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Token verification failed unexpectedly; the token is rejected")]
        public static partial void VerifierFailed(ILogger logger, Exception exception);

        [LoggerMessage(2, LogLevel.Warning, "Token passed zeusd's checks but not Microsoft.IdentityModel's; it is rejected")]
        public static partial void LibraryDisagrees(ILogger logger);

        [LoggerMessage(3, LogLevel.Debug, "Microsoft.IdentityModel rejected a token: {Kind}: {Message}")]
        public static partial void LibraryRejected(ILogger logger, string kind, string message);
    }
}
