using System.Text;
using Zeusd.Auth;

namespace Zeusd.Tests.Auth;

public sealed class Base64UrlSegmentTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("YQ", "a")]
    [InlineData("YWI", "ab")]
    [InlineData("YWJj", "abc")]
    [InlineData("eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9", """{"typ":"JWT","alg":"HS256"}""")]
    [InlineData("_-8", "\u00ff\u00ef")]
    public void Decode_CanonicalUnpadded_Decodes(string encoded, string latin1)
    {
        byte[]? bytes = Base64UrlSegment.Decode(Encoding.ASCII.GetBytes(encoded), out string? error);

        Assert.Null(error);
        Assert.Equal(Encoding.Latin1.GetBytes(latin1), bytes);
    }

    [Theory]
    [InlineData("YQ==", "Invalid padding")]
    [InlineData("YWI=", "Invalid padding")]
    [InlineData("Y===", "Invalid symbol 61, offset 1.")]
    [InlineData("=YWJ", "Invalid symbol 61, offset 0.")]
    [InlineData("YQ=a", "Invalid symbol 61, offset 2.")]
    [InlineData("Y", "Invalid input length: 1")]
    [InlineData("YWJjZ", "Invalid input length: 5")]
    [InlineData("YR", "Invalid last symbol 82, offset 1.")]
    [InlineData("YWJ", "Invalid last symbol 74, offset 2.")]
    [InlineData("YW+j", "Invalid symbol 43, offset 2.")]
    [InlineData("YW/j", "Invalid symbol 47, offset 2.")]
    [InlineData("YWJj YWJj", "Invalid symbol 32, offset 4.")]
    [InlineData("YWJjYWJj\n", "Invalid symbol 10, offset 8.")]
    [InlineData("Y!JjYWJj\n", "Invalid symbol 10, offset 8.")]
    public void Decode_NotStrictBase64Url_ReportsTheBase64CratesMessage(string encoded, string expected)
    {
        Assert.Null(Base64UrlSegment.Decode(Encoding.ASCII.GetBytes(encoded), out string? error));

        Assert.Equal(expected, error);
    }
}
