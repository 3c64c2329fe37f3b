using System.Text.RegularExpressions;
using Zeusd.Tests.Integration;
using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Policy;

/// <summary>
/// Every policy rule against the real daemon, from clients whose credentials the kernel reports (setpriv): scopes,
/// per-GPU cover, value bounds at and past each edge, resets, persistence, all-or-nothing multi-GPU writes, root,
/// whoami and the audit line.
/// </summary>
public sealed class PolicyEnforcementTests(PolicyDaemonFixture node) : IClassFixture<PolicyDaemonFixture>
{
    private FakeNvml Nvml => node.Nvml;

    private static void AssertDenied((int Status, string Body) result, string error)
    {
        Assert.Equal(403, result.Status);
        Assert.Equal($"{{\"error\":\"{error}\"}}", result.Body);
    }

    private IReadOnlyList<NvmlCall> WritesAfter(long mark) => [.. Nvml.CallsAfter(mark).Where(c => c.Function.Contains("Set") || c.Function.Contains("Reset"))];

    [Fact]
    public async Task Read_WithReadGrant_200()
    {
        var (status, body) = await node.Get(PeerUser.Nobody, "/gpu/get_power_limit?gpu_ids=0");

        Assert.Equal(200, status);
        Assert.StartsWith("{\"0\":{\"power_limit_mw\":", body);
    }

    [Fact]
    public async Task Read_NoMatchingGrant_403NamingTheCaller()
    {
        AssertDenied(await node.Get(PolicyDaemonFixture.Stranger, "/gpu/get_power"),
            "Access denied by policy: uid 1600 has no grant with scope 'gpu-read'");
    }

    [Fact]
    public async Task Read_ControlOnlyGrant_403()
    {
        AssertDenied(await node.Get(PolicyDaemonFixture.Ops, "/gpu/get_power"),
            "Access denied by policy: uid 1500 has no grant with scope 'gpu-read'");
    }

    [Fact]
    public async Task DiscoverAndTime_StayOpenToEveryone()
    {
        Assert.Equal(200, (await node.Get(PolicyDaemonFixture.Stranger, "/discover")).Status);
        Assert.Equal(200, (await node.Get(PolicyDaemonFixture.Stranger, "/time")).Status);
    }

    [Fact]
    public async Task Control_ReadOnlyUser_403AndNoDriverCall()
    {
        long mark = Nvml.Mark();

        AssertDenied(await node.Post(PeerUser.Nobody, "/gpu/set_power_limit?gpu_ids=0&power_limit_mw=200000&block=true"),
            "Access denied by policy: user 'nobody' (uid 65534) has no grant with scope 'gpu-control'");

        Assert.Empty(Nvml.CallsAfter(mark));
    }

    [Theory]
    [InlineData(150000, true)]
    [InlineData(149999, false)]
    [InlineData(300000, true)]
    [InlineData(300001, false)]
    public async Task PowerLimit_AtAndJustPastEachEdge(int limit, bool allowed)
    {
        long mark = Nvml.Mark();

        var result = await node.Post(PolicyDaemonFixture.MlMember, $"/gpu/set_power_limit?gpu_ids=0,1&power_limit_mw={limit}&block=true");

        if (allowed)
        {
            Assert.Equal((200, ""), result);
            Assert.Equal([(0, $"{limit}"), (1, $"{limit}")],
                WritesAfter(mark).Where(c => c.Function == FakeNvml.SetPowerLimit).Select(c => (c.Gpu!.Value, c["limit"])).Order());
        }
        else
        {
            AssertDenied(result, $"Access denied by policy: uid 1001 may not set power_limit_mw {limit} on GPU 0; " +
                "allowed range: 150000..300000 (grant 'ml-team')");
            Assert.Empty(Nvml.CallsAfter(mark));
        }
    }

    [Theory]
    [InlineData("set_gpu_locked_clocks", 900, 1980, true)]
    [InlineData("set_gpu_locked_clocks", 899, 1980, false)]
    [InlineData("set_gpu_locked_clocks", 900, 1981, false)]
    [InlineData("set_mem_locked_clocks", 800, 1593, true)]
    [InlineData("set_mem_locked_clocks", 799, 1593, false)]
    [InlineData("set_mem_locked_clocks", 800, 1594, false)]
    public async Task LockedClocks_AtAndJustPastEachEdge(string route, int min, int max, bool allowed)
    {
        long mark = Nvml.Mark();

        var result = await node.Post(PolicyDaemonFixture.MlPrimary, $"/gpu/{route}?gpu_ids=1&min_clock_mhz={min}&max_clock_mhz={max}&block=true");

        if (allowed)
        {
            Assert.Equal((200, ""), result);
            Assert.Single(WritesAfter(mark));
        }
        else
        {
            string key = route == "set_gpu_locked_clocks" ? "gpu_locked_clocks_mhz" : "mem_locked_clocks_mhz";
            string range = route == "set_gpu_locked_clocks" ? "900..1980" : "800..1593";
            AssertDenied(result, $"Access denied by policy: uid 1002 may not set {key} {min}..{max} on GPU 1; " +
                $"allowed range: {range} (grant 'ml-team')");
            Assert.Empty(Nvml.CallsAfter(mark));
        }
    }

    [Fact]
    public async Task MultiGpuWrite_OneGpuOutsideTheGrant_RefusedWholeWithNoDriverCallAtAll()
    {
        long mark = Nvml.Mark();

        AssertDenied(await node.Post(PolicyDaemonFixture.MlMember, "/gpu/set_power_limit?gpu_ids=0,1,2&power_limit_mw=200000&block=true"),
            "Access denied by policy: uid 1001 may not control GPU 2; its grants cover GPUs [0, 1]");
        AssertDenied(await node.Post(PolicyDaemonFixture.MlMember, "/gpu/set_power_limit?gpu_ids=0,1,2&power_limit_mw=200000&block=false"),
            "Access denied by policy: uid 1001 may not control GPU 2; its grants cover GPUs [0, 1]");

        await Task.Delay(200); // a non-blocking write would have been queued by now
        Assert.Empty(Nvml.CallsAfter(mark));
    }

    [Fact]
    public async Task Reset_AllowedWhereCovered_DeniedElsewhere()
    {
        long mark = Nvml.Mark();

        Assert.Equal((200, ""), await node.Post(PolicyDaemonFixture.MlMember, "/gpu/reset_locked_clocks?gpu_ids=0,1&block=true"));
        Assert.Equal((200, ""), await node.Post(PolicyDaemonFixture.MlMember, "/gpu/reset_gpu_locked_clocks?gpu_ids=1&block=true"));
        AssertDenied(await node.Post(PolicyDaemonFixture.MlMember, "/gpu/reset_mem_locked_clocks?gpu_ids=3&block=true"),
            "Access denied by policy: uid 1001 may not control GPU 3; its grants cover GPUs [0, 1]");

        Assert.DoesNotContain(WritesAfter(mark), c => c.Gpu == 3);
        Assert.Contains(WritesAfter(mark), c => c.Function == FakeNvml.ResetGpuLockedClocks && c.Gpu == 1);
    }

    [Fact]
    public async Task Persistence_FalseInGrant_403()
    {
        long mark = Nvml.Mark();

        AssertDenied(await node.Post(PolicyDaemonFixture.MlMember, "/gpu/set_persistence_mode?gpu_ids=0&enabled=true&block=true"),
            "Access denied by policy: uid 1001 may not change the persistence mode of GPU 0: persistence_mode = false in grant 'ml-team'");

        Assert.Empty(Nvml.CallsAfter(mark));
    }

    [Fact]
    public async Task ControlOnlyGrant_AnyValueOnItsGpu()
    {
        Assert.Equal((200, ""), await node.Post(PolicyDaemonFixture.Ops, "/gpu/set_power_limit?gpu_ids=3&power_limit_mw=100000&block=true"));
        Assert.Equal((200, ""), await node.Post(PolicyDaemonFixture.Ops, "/gpu/set_persistence_mode?gpu_ids=3&enabled=false&block=true"));
    }

    [Fact]
    public async Task Root_NeverRestricted()
    {
        long mark = Nvml.Mark();

        Assert.Equal((200, ""), await node.Post(null, "/gpu/set_power_limit?gpu_ids=0,1,2,3&power_limit_mw=100000&block=true"));

        Assert.Equal(4, WritesAfter(mark).Count(c => c.Function == FakeNvml.SetPowerLimit && c["limit"] == "100000"));
    }

    [Fact]
    public async Task BadRequest_WithTheScope_StillA400BeforeTheValueDecision()
    {
        var (status, _) = await node.Post(PolicyDaemonFixture.MlMember, "/gpu/set_power_limit?gpu_ids=9&power_limit_mw=1&block=true");

        Assert.Equal(400, status);
    }

    [Fact]
    public async Task ControlWithoutTheScope_RefusedAtTheGateAndAudited()
    {
        AssertDenied(await node.Post(PolicyDaemonFixture.Stranger, "/gpu/reset_locked_clocks?gpu_ids=0&block=true"),
            "Access denied by policy: uid 1600 has no grant with scope 'gpu-control'");

        await node.Daemon.WaitForOutputAsync(
            "GPU control by uid 1600 (pid ");
        Assert.Matches(new Regex(@"GPU control by uid 1600 \(pid \d+\): /gpu/reset_locked_clocks\?gpu_ids=0&block=true: denied: "), node.Daemon.Output);
    }

    [Fact]
    public async Task Whoami_SocketPeer_CredentialsGrantsAndControllableGpus()
    {
        var nobody = await node.Get(PeerUser.Nobody, "/auth/whoami");
        var member = await node.Get(PolicyDaemonFixture.MlMember, "/auth/whoami");
        var root = await node.Get(null, "/auth/whoami");

        Assert.Equal(200, nobody.Status);
        Assert.Matches("""^\{"uid":65534,"gid":65534,"pid":[1-9][0-9]*,"user":"nobody","grants":\["readers"\],"gpus":\[\]\}$""", nobody.Body);
        Assert.Matches("""^\{"uid":1001,"gid":1001,"pid":[1-9][0-9]*,"grants":\["ml-team"\],"gpus":\[0,1\]\}$""", member.Body);
        Assert.Matches("""^\{"uid":0,"gid":0,"pid":[1-9][0-9]*,"user":"root","grants":\[\]\}$""", root.Body);
    }

    [Fact]
    public async Task Audit_EveryControlRequest_OneInfoLineWithCallerRouteGpusValuesDecisionAndGrant()
    {
        await node.Post(PolicyDaemonFixture.MlMember, "/gpu/set_power_limit?gpu_ids=1&power_limit_mw=222222&block=true");
        await node.Post(PolicyDaemonFixture.MlMember, "/gpu/set_power_limit?gpu_ids=1&power_limit_mw=333333&block=true");

        string output = await node.Daemon.WaitForOutputAsync("power_limit_mw=333333");
        var allowed = output.Split('\n').Where(l => l.Contains("power_limit_mw=222222")).ToList();
        var denied = output.Split('\n').Where(l => l.Contains("power_limit_mw=333333")).ToList();
        Assert.Single(allowed);
        Assert.Single(denied);
        Assert.Matches(new Regex(@" info: .*GPU control by uid 1001 \(pid \d+\): /gpu/set_power_limit on GPUs \[1\] \(power_limit_mw=222222\): allowed by grant ml-team$"), allowed[0]);
        Assert.Matches(new Regex(@" info: .*GPU control by uid 1001 \(pid \d+\): /gpu/set_power_limit on GPUs \[1\] \(power_limit_mw=333333\): denied: Access denied by policy: .*allowed range: 150000\.\.300000 \(grant 'ml-team'\)$"), denied[0]);
    }
}
