using Zeusd.Policy;

namespace Zeusd.Tests.Policy;

/// <summary>The per-connection cache of a caller's rights: reused while nothing changes, recomputed when something does.</summary>
public sealed class ConnectionIdentityTests
{
    private const string Toml = """
        [[grant]]
        name = "ml"
        groups = [2000]
        scopes = ["gpu-control"]

        [[grant]]
        name = "ci"
        subjects = ["ci"]
        scopes = ["gpu-read"]
        """;

    private static readonly PeerCredentials Member = new(1001, 1001, 7, [2000], null);

    [Fact]
    public void RightsUnder_SamePolicyAndSubject_ComputedOnce()
    {
        var policy = AccessPolicy.FromText(Toml);
        var connection = new ConnectionIdentity(Member);

        var first = connection.RightsUnder(policy, null);

        Assert.Same(first, connection.RightsUnder(policy, null));
        Assert.Equal(["ml"], first.Grants.Select(g => g.Name));
    }

    [Fact]
    public void RightsUnder_NewPolicyOrOtherSubject_Recomputed()
    {
        var connection = new ConnectionIdentity(Member);
        var before = connection.RightsUnder(AccessPolicy.FromText(Toml), null);

        var reloaded = connection.RightsUnder(AccessPolicy.FromText(Toml.Replace("groups = [2000]", "groups = [3000]")), null);
        var withToken = connection.RightsUnder(AccessPolicy.FromText(Toml), "ci");

        Assert.NotSame(before, reloaded);
        Assert.Empty(reloaded.Grants);
        Assert.Equal(["ml", "ci"], withToken.Grants.Select(g => g.Name));
    }
}
