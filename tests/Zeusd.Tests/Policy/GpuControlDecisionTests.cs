using Zeusd.Policy;

namespace Zeusd.Tests.Policy;

/// <summary>The gpu-control decision: per-GPU cover, value bounds at and past each edge, union of grants, tokens.</summary>
public sealed class GpuControlDecisionTests
{
    private static readonly AccessPolicy Policy = AccessPolicy.FromText("""
        [[grant]]
        name = "ml-team"
        groups = [2000]
        scopes = ["gpu-read", "gpu-control"]
        gpus = [0, 1]
        power_limit_mw = { min = 150000, max = 300000 }
        gpu_locked_clocks_mhz = { min = 900, max = 1980 }
        mem_locked_clocks_mhz = { min = 800, max = 1593 }
        persistence_mode = false

        [[grant]]
        name = "gpu2-low"
        users = [1001]
        scopes = ["gpu-control"]
        gpus = [2]
        power_limit_mw = { min = 100000, max = 120000 }

        [[grant]]
        name = "gpu0-high"
        users = [1001]
        scopes = ["gpu-control"]
        gpus = [0]
        power_limit_mw = { min = 310000, max = 320000 }

        [[grant]]
        name = "readers"
        users = ["*"]
        scopes = ["gpu-read"]
        """);

    private static readonly PeerCredentials Alice = new(1001, 1001, 42, [2000], "alice");
    private static readonly PeerCredentials Bob = new(1002, 2000, 43, [], "bob");
    private static readonly PeerCredentials Carol = new(1003, 1003, 44, [], null);
    private static readonly PeerCredentials Root = new(0, 0, 1, [], "root");

    private static ControlVerdict Decide(PeerCredentials? peer, ControlKind kind, int[] gpus, uint first = 0, uint second = 0) =>
        GpuControlDecision.Decide(Policy.RightsOf(peer, null), null, null, kind, gpus, first, second);

    [Theory]
    [InlineData(150000u, true)]
    [InlineData(149999u, false)]
    [InlineData(300000u, true)]
    [InlineData(300001u, false)]
    public void PowerLimit_AtAndPastEachEdge_AllowedExactlyInside(uint limit, bool allowed)
    {
        var verdict = Decide(Bob, ControlKind.PowerLimit, [0, 1], limit);

        Assert.Equal(allowed, verdict.IsAllowed);
        if (!allowed)
        {
            Assert.Equal($"Access denied by policy: user 'bob' (uid 1002) may not set power_limit_mw {limit} on GPU 0; " +
                "allowed range: 150000..300000 (grant 'ml-team')", verdict.Denial);
        }
    }

    [Theory]
    [InlineData(ControlKind.GpuLockedClocks, 900u, 1980u, true)]
    [InlineData(ControlKind.GpuLockedClocks, 899u, 1980u, false)]
    [InlineData(ControlKind.GpuLockedClocks, 900u, 1981u, false)]
    [InlineData(ControlKind.MemLockedClocks, 800u, 1593u, true)]
    [InlineData(ControlKind.MemLockedClocks, 799u, 1000u, false)]
    [InlineData(ControlKind.MemLockedClocks, 800u, 1594u, false)]
    public void LockedClocks_BothEndsMustBeInsideTheRange(ControlKind kind, uint min, uint max, bool allowed)
    {
        var verdict = Decide(Bob, kind, [1], min, max);

        Assert.Equal(allowed, verdict.IsAllowed);
        if (!allowed)
        {
            string key = kind == ControlKind.GpuLockedClocks ? "gpu_locked_clocks_mhz" : "mem_locked_clocks_mhz";
            Assert.Contains($"may not set {key} {min}..{max} on GPU 1; allowed range: ", verdict.Denial);
        }
    }

    [Fact]
    public void GpuOutsideEveryGrant_DeniedNamingTheGpuAndTheCoveredOnes()
    {
        var verdict = Decide(Bob, ControlKind.Reset, [1, 3]);

        Assert.Equal("Access denied by policy: user 'bob' (uid 1002) may not control GPU 3; its grants cover GPUs [0, 1]", verdict.Denial);
    }

    [Fact]
    public void Reset_AllowedWhereverCovered_WhateverTheBounds()
    {
        Assert.Equal("ml-team", Decide(Bob, ControlKind.Reset, [0, 1]).Grants);
    }

    [Fact]
    public void PersistenceFalse_DeniedOnCoveredGpu()
    {
        var verdict = Decide(Bob, ControlKind.PersistenceMode, [0]);

        Assert.Equal("Access denied by policy: user 'bob' (uid 1002) may not change the persistence mode of GPU 0: " +
            "persistence_mode = false in grant 'ml-team'", verdict.Denial);
    }

    [Fact]
    public void Union_ValueOutsideOneGrantButInsideAnotherCoveringGrant_Allowed()
    {
        Assert.Equal("gpu0-high", Decide(Alice, ControlKind.PowerLimit, [0], 315000u).Grants);
        var denied = Decide(Alice, ControlKind.PowerLimit, [0], 305000u);
        Assert.Equal("Access denied by policy: user 'alice' (uid 1001) may not set power_limit_mw 305000 on GPU 0; allowed range: " +
            "150000..300000 (grant 'ml-team'), 310000..320000 (grant 'gpu0-high')", denied.Denial);
    }

    [Fact]
    public void Union_GrantsNamedPerGpuInTheVerdict()
    {
        Assert.Equal("ml-team,gpu2-low", Decide(Alice, ControlKind.Reset, [0, 1, 2]).Grants);
    }

    [Fact]
    public void NoControlGrant_DeniedNamingTheCaller()
    {
        Assert.Equal("Access denied by policy: uid 1003 has no grant with scope 'gpu-control'",
            Decide(Carol, ControlKind.Reset, [0]).Denial);
        Assert.Equal("Access denied by policy: anonymous caller has no grant with scope 'gpu-control'",
            Decide(null, ControlKind.Reset, [0]).Denial);
    }

    [Fact]
    public void Root_NeverRestricted()
    {
        var verdict = Decide(Root, ControlKind.PowerLimit, [0, 1, 2, 3, 7], 1);

        Assert.Equal(ControlVerdict.Allow(GpuControlDecision.RootGrant), verdict);
    }

    [Fact]
    public void TokenGpus_NarrowWithoutPolicy()
    {
        Assert.True(GpuControlDecision.Decide(null, "ci", [0, 1], ControlKind.PowerLimit, [1, 0], 5, 0).IsAllowed);
        var denied = GpuControlDecision.Decide(null, "ci", [0, 1], ControlKind.PowerLimit, [0, 2], 5, 0);
        Assert.Equal("Token for user 'ci' may not control GPU 2: the token covers GPUs [0, 1]", denied.Denial);
    }

    [Fact]
    public void TokenGpus_NarrowEvenRoot()
    {
        var verdict = GpuControlDecision.Decide(Policy.RightsOf(Root, "ops"), "ops", [3], ControlKind.Reset, [0], 0, 0);

        Assert.False(verdict.IsAllowed);
    }

    [Fact]
    public void Subject_MatchesSubjectGrants_TokenCannotWidenPeer()
    {
        var policy = AccessPolicy.FromText("""
            [[grant]]
            name = "ci"
            subjects = ["ci"]
            scopes = ["gpu-control"]
            gpus = [0, 1]
            """);

        Assert.True(GpuControlDecision.Decide(policy.RightsOf(null, "ci"), "ci", null, ControlKind.Reset, [0, 1], 0, 0).IsAllowed);
        Assert.False(GpuControlDecision.Decide(policy.RightsOf(null, "other"), "other", null, ControlKind.Reset, [0], 0, 0).IsAllowed);
        Assert.Equal("token subject 'ci'", policy.RightsOf(null, "ci").Caller);
        Assert.Equal("user 'bob' (uid 1002) with token subject 'ci'", policy.RightsOf(Bob, "ci").Caller);
    }
}
