using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Zeusd.Auth;
using Zeusd.Tests.TestDoubles;
using Zeusd.Common;
using Zeusd.Configuration;

namespace Zeusd.Tests.Auth;

public sealed class TokenIssuerTests
{
    private static readonly byte[] Key = Encoding.ASCII.GetBytes("0123456789abcdef0123456789abcdef\n");
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, 700, TimeSpan.Zero));

    private static string[] Decode(string token)
    {
        string[] parts = token.Split('.');
        Assert.Equal(3, parts.Length);
        return [Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[0])), Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])), parts[2]];
    }

    [Fact]
    public void Create_WithExpiry_WritesTheOriginalsHeaderAndClaimsInOrder()
    {
        string token = TokenIssuer.Create(SigningKey.FromBytes(Key), "alice", [ApiGroup.GpuRead, ApiGroup.CpuRead], 9999999999);

        var (header, claims) = (Decode(token)[0], Decode(token)[1]);
        Assert.Equal("""{"typ":"JWT","alg":"HS256"}""", header);
        Assert.Equal("""{"sub":"alice","scopes":["gpu-read","cpu-read"],"exp":9999999999}""", claims);
        Assert.DoesNotContain('=', token);
    }

    [Fact]
    public void Create_NeverExpiring_OmitsExp()
    {
        string token = TokenIssuer.Create(SigningKey.FromBytes(Key), "ops", [ApiGroup.GpuControl], null);

        Assert.Equal("""{"sub":"ops","scopes":["gpu-control"]}""", Decode(token)[1]);
    }

    [Fact]
    public void Create_Signature_IsHmacSha256OfHeaderDotClaimsWithTheRawKeyBytes()
    {
        string token = TokenIssuer.Create(SigningKey.FromBytes(Key), "alice", [], null);

        string input = token[..token.LastIndexOf('.')];
        string expected = Base64Url.EncodeToString(HMACSHA256.HashData(Key, Encoding.ASCII.GetBytes(input)));
        Assert.Equal(expected, token[(token.LastIndexOf('.') + 1)..]);
    }

    [Theory]
    [InlineData("never")]
    [InlineData("NEVER")]
    [InlineData("  Never ")]
    [InlineData("0")]
    [InlineData(" 0 ")]
    public void ExpiryOf_NeverOrZero_IsNoExpiry(string expires)
    {
        Assert.Null(TokenIssuer.ExpiryOf(expires, _clock));
    }

    [Theory]
    [InlineData("1h", 3_600)]
    [InlineData("7d", 604_800)]
    [InlineData("30d", 2_592_000)]
    [InlineData("1h 30m", 5_400)]
    [InlineData("2weeks", 1_209_600)]
    [InlineData("1y", 31_557_600)]
    [InlineData("1M", 60)]            // lowercased first: one minute, as in the original
    [InlineData("1month", 2_630_016)]
    [InlineData(" 2H ", 7_200)]
    public void ExpiryOf_Duration_IsNowPlusDurationInWholeSeconds(string expires, long seconds)
    {
        Assert.Equal((ulong)(_clock.UnixSeconds + seconds), TokenIssuer.ExpiryOf(expires, _clock));
    }

    [Fact]
    public void ExpiryOf_SubSecondDuration_RoundsTheSumDown()
    {
        // now is 12:00:00.700: +200 ms stays in the same second, +300 ms reaches the next.
        Assert.Equal((ulong)_clock.UnixSeconds, TokenIssuer.ExpiryOf("200ms", _clock));
        Assert.Equal((ulong)_clock.UnixSeconds + 1, TokenIssuer.ExpiryOf("300ms", _clock));
    }

    [Theory]
    [InlineData("5", "time unit needed, for example 5sec or 5ms")]
    [InlineData("7 days ago", "expected number at 7")]
    [InlineData("1 fortnight", "unknown time unit \"fortnight\"")]
    [InlineData("forever", "expected number at 0")]
    [InlineData("", "value was empty")]
    public void ExpiryOf_Invalid_NamesTheRawValueAndTheCause(string expires, string cause)
    {
        var error = Assert.Throws<StartupException>(() => TokenIssuer.ExpiryOf(expires, _clock));

        Assert.StartsWith($"Invalid duration '{expires}'. Use e.g. '1h', '7d', '30d', or 'never'.\n\nCaused by:\n    {cause}", error.Message);
    }
}
