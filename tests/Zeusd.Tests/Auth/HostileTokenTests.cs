using System.Security.Cryptography;
using Zeusd.Configuration;

namespace Zeusd.Tests.Auth;

/// <summary>Attacks on the bearer token, sent over HTTP to a daemon with authentication on: each is a 401, never a 500.</summary>
public sealed class HostileTokenTests(AuthDaemonFixture node) : IClassFixture<AuthDaemonFixture>
{
    private const string ControlUrl = "/gpu/set_power_limit?gpu_ids=0&power_limit_mw=150000&block=true";
    private const string AuthRequired = "{\"error\":\"Authentication required. Provide an Authorization: Bearer <token> header.\"}";

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>Forgeries aimed at gpu-control, the most valuable scope.</summary>
    public static TheoryData<string> Attacks => new()
    {
        "alg-none", "alg-none-no-signature", "hs384", "hs512", "rs256-signed-with-hmac-key", "tampered-payload", "tampered-signature",
        "wrong-key", "expired-beyond-leeway", "aud-present", "unknown-scope", "scopes-not-an-array", "missing-sub",
        "non-integer-exp", "malformed-base64", "three-dots", "garbage", "twenty-kilobytes",
    };

    private string Forge(string attack)
    {
        string claims = TestJwt.Claims(sub: "mallory", scopes: """["gpu-control"]""", exp: Now + 3600);
        string header = TestJwt.Hs256Header;
        string valid = TestJwt.Sign(header, claims, node.Key);
        return attack switch
        {
            "alg-none" => TestJwt.Encode("""{"typ":"JWT","alg":"none"}""") + "." + TestJwt.Encode(claims) + ".",
            "alg-none-no-signature" => TestJwt.Encode("""{"alg":"none"}""") + "." + TestJwt.Encode(claims),
            "hs384" => TestJwt.Sign("""{"typ":"JWT","alg":"HS384"}""", claims, node.Key, HashAlgorithmName.SHA384),
            "hs512" => TestJwt.Sign("""{"typ":"JWT","alg":"HS512"}""", claims, node.Key, HashAlgorithmName.SHA512),
            "rs256-signed-with-hmac-key" => TestJwt.Sign("""{"typ":"JWT","alg":"RS256"}""", claims, node.Key),
            "tampered-payload" => ReplacePayload(node.Issue("mallory", [ApiGroup.GpuRead]), claims),
            "tampered-signature" => valid[..^2] + (valid[^2] == 'A' ? "B" : "A") + valid[^1],
            "wrong-key" => TestJwt.Sign(header, claims, TestJwt.OtherKey),
            "expired-beyond-leeway" => TestJwt.Sign(header, TestJwt.Claims(sub: "mallory", scopes: """["gpu-control"]""", exp: Now - 120), node.Key),
            "aud-present" => TestJwt.Sign(header, TestJwt.Claims(sub: "mallory", scopes: """["gpu-control"]""", extra: ""","aud":"zeusd" """), node.Key),
            "unknown-scope" => TestJwt.Sign(header, TestJwt.Claims(sub: "mallory", scopes: """["gpu-control","root"]"""), node.Key),
            "scopes-not-an-array" => TestJwt.Sign(header, TestJwt.Claims(sub: "mallory", scopes: "\"gpu-control\""), node.Key),
            "missing-sub" => TestJwt.Sign(header, """{"scopes":["gpu-control"]}""", node.Key),
            "non-integer-exp" => TestJwt.Sign(header, """{"sub":"mallory","scopes":["gpu-control"],"exp":"tomorrow"}""", node.Key),
            "malformed-base64" => "eyJ0eXAiOiJKV1Qi*CJhbGciOiJIUzI1NiJ9" + valid[valid.IndexOf('.')..],
            "three-dots" => valid + ".e30",
            "garbage" => "not-a-valid-jwt",
            "twenty-kilobytes" => new string('A', 20_000) + "." + new string('A', 100) + ".sig",
            _ => throw new ArgumentOutOfRangeException(nameof(attack)),
        };
    }

    private static string ReplacePayload(string token, string claims)
    {
        string[] parts = token.Split('.');
        return parts[0] + "." + TestJwt.Encode(claims) + "." + parts[2];
    }

    private static string ExpectedError(string attack) => attack switch
    {
        "alg-none" => "Invalid token: JSON error: unknown variant `none`, expected one of `HS256`, `HS384`, `HS512`, `ES256`, `ES384`, " +
                      "`RS256`, `RS384`, `RS512`, `PS256`, `PS384`, `PS512`, `EdDSA` at line 1 column 26",
        "hs384" or "hs512" or "rs256-signed-with-hmac-key" => "Invalid token: InvalidAlgorithm",
        "tampered-payload" or "tampered-signature" or "wrong-key" => "Invalid token: InvalidSignature",
        "expired-beyond-leeway" => "Token has expired.",
        "aud-present" => "Invalid token: InvalidAudience",
        "unknown-scope" => "Invalid token: JSON error: unknown variant `root`, expected one of `gpu-control`, `gpu-read`, `cpu-read` at line 1 column 48",
        "scopes-not-an-array" => "Invalid token: JSON error: invalid type: string \"gpu-control\", expected a sequence at line 1 column 39",
        "missing-sub" => "Invalid token: JSON error: missing field `sub` at line 1 column 26",
        "non-integer-exp" => "Invalid token: JSON error: invalid type: string \"tomorrow\", expected usize at line 1 column 58",
        "malformed-base64" => "Invalid token: Base64 error: Invalid symbol 42, offset 16.",
        "three-dots" => "Invalid token: Base64 error: Invalid symbol 46, offset 36.",
        _ => "Invalid token: InvalidToken",
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task ControlRequest_ForgedToken_Is401WithTheReasonAndAChallenge(string attack)
    {
        var (status, body, response) = await node.Client.CallWithTokenAsync(ControlUrl, Forge(attack), HttpMethod.Post);

        Assert.Equal(401, status);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("Bearer realm=\"zeusd\"", response.Challenge());
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(new { error = ExpectedError(attack) },
            new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), body);
    }

    [Theory]
    [InlineData("bearer {0}")]
    [InlineData("BEARER {0}")]
    [InlineData("Bearer{0}")]
    [InlineData("Token {0}")]
    [InlineData("Basic YWxpY2U6c2VjcmV0")]
    [InlineData("Bearer ")]
    [InlineData("Bearer")]
    [InlineData("")]
    [InlineData("{0}")]
    public async Task ControlRequest_NotExactlyBearerScheme_Is401AuthenticationRequired(string format)
    {
        string header = string.Format(format, node.Issue("alice", [ApiGroup.GpuControl]));

        var (status, body, response) = await node.Client.CallWithAuthAsync(ControlUrl, header, HttpMethod.Post);

        Assert.Equal(401, status);
        Assert.Equal(AuthRequired, body);
        Assert.Equal("Bearer realm=\"zeusd\"", response.Challenge());
    }

    [Fact]
    public async Task ControlRequest_TwoAuthorizationHeaders_Is401EvenIfOneIsValid()
    {
        string token = node.Issue("alice", [ApiGroup.GpuControl]);

        string response = await Zeusd.Tests.Integration.UnixSocketHttp.SendRawAsync(node.Daemon.SocketPath!,
            $"POST {ControlUrl} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {token}\r\n" +
            "Authorization: Bearer garbage\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 401 ", response);
        Assert.EndsWith(AuthRequired, response);
    }

    [Fact]
    public async Task ControlRequest_TwoTokensInOneHeader_Is401()
    {
        string token = node.Issue("alice", [ApiGroup.GpuControl]);

        var (status, body, _) = await node.Client.CallWithAuthAsync(ControlUrl, $"Bearer {token}, Bearer {token}", HttpMethod.Post);

        // Split from the right, the header part runs from the first token into the second.
        Assert.Equal(401, status);
        Assert.Equal("{\"error\":\"Invalid token: Base64 error: Invalid symbol 46, offset 36.\"}", body);
    }

    [Fact]
    public async Task ControlRequest_ExpiredWithinLeeway_IsAccepted()
    {
        string token = node.Issue("alice", [ApiGroup.GpuControl], exp: Now - 30);

        var (status, body, response) = await node.Client.CallWithTokenAsync(ControlUrl, token, HttpMethod.Post);

        Assert.Equal(200, status);
        Assert.Equal("", body);
        Assert.Null(response.Challenge());
    }

    [Fact]
    public async Task Request_HundredKilobyteToken_Is401InvalidTokenNotAServerError()
    {
        string token = new string('A', 50_000) + "." + new string('B', 50_000) + "." + new string('C', 2_400);

        var (status, body, response) = await node.Client.CallWithTokenAsync("/gpu/get_power", token);

        Assert.Equal(401, status);
        Assert.Equal("{\"error\":\"Invalid token: InvalidToken\"}", body);
        Assert.NotNull(response.Challenge());
        Assert.Equal(200, (await node.Client.CallWithTokenAsync("/discover", "x")).Status);
    }

    [Fact]
    public async Task Request_PercentEncodedControlPath_StillNeedsTheControlScope()
    {
        // The gate and the router see the same decoded path, so encoding "set_" cannot dodge the gpu-control check.
        string readOnly = node.Issue("reader", [ApiGroup.GpuRead]);

        var (status, body, _) = await node.Client.CallWithTokenAsync(
            "/gpu/%73et_power_limit?gpu_ids=0&power_limit_mw=150000&block=true", readOnly, HttpMethod.Post);

        Assert.Equal(403, status);
        Assert.Equal("{\"error\":\"Token for user 'reader' lacks required scope 'gpu-control'. Token scopes: ['gpu-read']\"}", body);
    }

    [Fact]
    public async Task Request_HeaderWithANewline_CannotForgeALogLine()
    {
        string token = TestJwt.Encode("{\"alg\":\"x\\ninfo: Zeusd[1] forged-line\"}") + ".e30.sig";

        var (status, body, _) = await node.Client.CallWithTokenAsync("/gpu/get_power", token);

        Assert.Equal(401, status);
        Assert.Contains("unknown variant `x\\ninfo: Zeusd[1] forged-line`", body);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!node.Daemon.Output.Contains("forged-line") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        string logLine = node.Daemon.Output.Split('\n').Single(line => line.Contains("forged-line"));
        Assert.Contains("Rejected token for /gpu/get_power: Invalid token: JSON error: unknown variant `x\\u000ainfo: Zeusd[1] forged-line`", logLine);
    }

    [Fact]
    public async Task Request_EverythingRejected_LeavesTheDaemonServing()
    {
        foreach (string attack in Attacks.Cast<object[]>().Select(row => (string)row[0]))
        {
            Assert.Equal(401, (await node.Client.CallWithTokenAsync("/gpu/get_power", Forge(attack))).Status);
        }
        string token = node.Issue("alice", [ApiGroup.GpuRead]);
        Assert.Equal(200, (await node.Client.CallWithTokenAsync("/gpu/get_power", token)).Status);
        Assert.DoesNotContain("Unhandled", node.Daemon.Output);
        Assert.DoesNotContain("fail:", node.Daemon.Output);
    }
}
