using Zeusd.Configuration;

namespace Zeusd.Tests.Auth;

/// <summary>
/// Contract §6.4 as a table: every route family × its group enabled or disabled × auth off or on × no token, an
/// invalid token, a token without the family's scope and one with it.
/// </summary>
public sealed class AuthMatrixTests(AuthMatrixFixture nodes) : IClassFixture<AuthMatrixFixture>
{
    private sealed record Family(string Method, string Url, ApiGroup? Group, int SuccessStatus, string SuccessBody);

    private static readonly Dictionary<string, Family> Families = new()
    {
        ["gpu-control"] = new("POST", "/gpu/set_power_limit?gpu_ids=0&power_limit_mw=200000&block=true", ApiGroup.GpuControl, 200, ""),
        ["gpu-read"] = new("GET", "/gpu/get_power_limit?gpu_ids=0", ApiGroup.GpuRead, 200, "{\"0\":{\"power_limit_mw\":"),
        // Groups are declared by routes, not guessed from path prefixes: a path no route has belongs to no group.
        ["gpu-unknown"] = new("GET", "/gpu/no_such_endpoint", null, 404, ""),
        ["cpu-read"] = new("GET", "/cpu/get_cumulative_energy?cpu=true&dram=true", ApiGroup.CpuRead, 200, "{\""),
        ["discover"] = new("GET", "/discover", null, 200, "{\"gpus\":"),
        ["time"] = new("GET", "/time", null, 200, "{\"timestamp_ms\":"),
        ["whoami"] = new("GET", "/auth/whoami", null, 200, "{\"sub\":\"matrix\",\"scopes\":"),
        ["unknown"] = new("GET", "/no/such/path", null, 404, ""),
    };

    public static TheoryData<string, string, bool, string> Cases()
    {
        var data = new TheoryData<string, string, bool, string>();
        foreach (string family in Families.Keys)
        {
            foreach (string groups in new[] { "gpu-read", "gpu-control,cpu-read" })
            {
                foreach (bool auth in new[] { false, true })
                {
                    foreach (string token in new[] { "none", "invalid", "wrong-scope", "right-scope" })
                    {
                        data.Add(family, groups, auth, token);
                    }
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Request_GroupAuthAndToken_AnsweredAsTheContractSays(string familyName, string groups, bool auth, string tokenKind)
    {
        var family = Families[familyName];
        // A wrong-scope token has every scope but the family's; for paths outside the groups it has none at all.
        ApiGroup[] scopes = tokenKind == "right-scope" ? ApiGroups.All
            : family.Group is { } g ? [.. ApiGroups.All.Where(s => s != g)]
            : [];
        string? authorization = tokenKind switch
        {
            "none" => null,
            "invalid" => "Bearer not-a-valid-jwt",
            _ => "Bearer " + nodes.Issue("matrix", scopes),
        };

        var (status, body, response) = await nodes.Client(groups, auth)
            .CallWithAuthAsync(family.Url, authorization, new HttpMethod(family.Method));

        var (expectedStatus, expectedBody) = Expected(family, familyName, AuthMatrixFixture.GroupsOf(groups), auth, tokenKind, scopes);
        Assert.Equal(expectedStatus, status);
        if (expectedBody.EndsWith('}') || expectedBody.Length == 0)
        {
            Assert.Equal(expectedBody, body);
        }
        else
        {
            Assert.StartsWith(expectedBody, body);
        }
        Assert.Equal(status == 401 ? "Bearer realm=\"zeusd\"" : null, response.Challenge());
    }

    private static (int Status, string Body) Expected(Family family, string name, ApiGroup[] enabled, bool auth, string token, ApiGroup[] scopes)
    {
        if (family.Group is { } group && !enabled.Contains(group))
        {
            return (404, $"{{\"error\":\"API group '{group.WireName()}' is not enabled on this server.\"}}");
        }
        if (!auth)
        {
            return name == "whoami"
                ? (404, "{\"error\":\"Authentication is not enabled on this server.\"}")
                : (family.SuccessStatus, family.SuccessBody);
        }
        if (name is "discover" or "time")
        {
            return (family.SuccessStatus, family.SuccessBody);
        }
        switch (token)
        {
            case "none":
                return (401, "{\"error\":\"Authentication required. Provide an Authorization: Bearer <token> header.\"}");
            case "invalid":
                return (401, "{\"error\":\"Invalid token: InvalidToken\"}");
            case "wrong-scope" when family.Group is { } needed:
                string list = string.Join(", ", scopes.Select(s => $"'{s.WireName()}'"));
                return (403, $"{{\"error\":\"Token for user 'matrix' lacks required scope '{needed.WireName()}'. Token scopes: [{list}]\"}}");
        }
        if (name == "whoami")
        {
            string echoed = string.Join(",", scopes.Select(s => $"\"{s.WireName()}\""));
            return (200, $"{{\"sub\":\"matrix\",\"scopes\":[{echoed}]}}");
        }
        return (family.SuccessStatus, family.SuccessBody);
    }
}
