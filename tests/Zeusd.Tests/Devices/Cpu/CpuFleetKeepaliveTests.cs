using Zeusd.Tests.TestDoubles;
using Microsoft.Extensions.Logging.Abstractions;
using Zeusd.Devices.Cpu;
using Zeusd.Devices.Cpu.Rapl;

namespace Zeusd.Tests.Devices.Cpu;

public sealed class CpuFleetKeepaliveTests : IDisposable
{
    private readonly ManualTimeProvider _clock = new();
    private readonly FakeRaplTree _tree = new();

    public void Dispose() => _tree.Dispose();

    private CpuFleet OpenFleet(ICpuBackend backend) => CpuFleet.Open(backend, _clock, NullLoggerFactory.Instance);

    /// <summary>Waits until everything queued so far on every package's queue has run.</summary>
    private static async Task DrainAsync(CpuFleet fleet)
    {
        foreach (var queue in fleet.Queues)
        {
            await queue.RunAsync(0, static (_, _) => 0);
        }
    }

    [Fact]
    public async Task Keepalive_Every30Seconds_ReadsPackageAndDramThroughEachQueue()
    {
        var backend = new CountingBackend(hasDram: [true, false]);
        await using var fleet = OpenFleet(backend);

        _clock.Advance(TimeSpan.FromSeconds(29.9));
        await DrainAsync(fleet);
        Assert.Equal([(0, 0), (0, 0)], backend.QueueHandleReads);

        _clock.Advance(TimeSpan.FromSeconds(0.1));
        await DrainAsync(fleet);
        Assert.Equal([(1, 1), (1, 0)], backend.QueueHandleReads);

        _clock.Advance(TimeSpan.FromSeconds(60));
        await DrainAsync(fleet);
        Assert.Equal([(3, 3), (3, 0)], backend.QueueHandleReads);
    }

    [Fact]
    public async Task Keepalive_QueueBusy_ReadsOnlyWhenItsTurnComes()
    {
        var backend = new CountingBackend(hasDram: [true]);
        await using var fleet = OpenFleet(backend);
        using var release = new ManualResetEventSlim();
        var busy = fleet.Queues[0].RunAsync(release, static (_, gate) => gate.Wait(TimeSpan.FromSeconds(30))).AsTask();

        _clock.Advance(CpuFleet.KeepalivePeriod);
        Assert.Equal([(0, 0)], backend.QueueHandleReads);

        release.Set();
        Assert.True(await busy);
        await DrainAsync(fleet);
        Assert.Equal([(1, 1)], backend.QueueHandleReads);
    }

    [Fact]
    public async Task Keepalive_NeverTouchesThePollerHandles()
    {
        var backend = new CountingBackend(hasDram: [true]);
        await using var fleet = OpenFleet(backend);

        _clock.Advance(TimeSpan.FromMinutes(5));
        await DrainAsync(fleet);

        Assert.Equal(10, backend.Handles[0].PackageReads);
        Assert.Equal(0, backend.Handles[1].PackageReads);
    }

    [Fact]
    public async Task Keepalive_AfterDispose_StopsReading()
    {
        var backend = new CountingBackend(hasDram: [false]);
        var fleet = OpenFleet(backend);
        _clock.Advance(TimeSpan.FromSeconds(30));
        await DrainAsync(fleet);

        await fleet.DisposeAsync();
        _clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal([(1, 0)], backend.QueueHandleReads);
    }

    [Fact]
    public async Task Keepalive_CounterWrapsAndPassesItsOldValueWhileIdle_IsStillCounted()
    {
        // Without the keepalive read at 100, the next request would see 900 → 950 and miss a whole wrap.
        _tree.AddPackage(0, energyUj: 900, dramEnergyUj: 300, maxRangeUj: 1_000, dramMaxRangeUj: 500);
        await using var fleet = OpenFleet(new RaplBackend(RaplDiscovery.Discover(_tree.Root, NullLogger.Instance)!));
        var first = await fleet.Queues[0].RunAsync(0, static (package, _) => CpuFleet.Read(package, cpu: true, dram: true));
        Assert.Equal(new CpuEnergy(900, 300), first);

        _tree.SetEnergy(0, 100);
        _tree.SetDramEnergy(0, 10);
        _clock.Advance(CpuFleet.KeepalivePeriod);
        await DrainAsync(fleet);
        _tree.SetEnergy(0, 950);
        _tree.SetDramEnergy(0, 400);

        var later = await fleet.Queues[0].RunAsync(0, static (package, _) => CpuFleet.Read(package, cpu: true, dram: true));
        Assert.Equal(new CpuEnergy(1_950, 900), later);
    }

    /// <summary>Packages that count their reads; handles are recorded in opening order (queue, poller, queue, ...).</summary>
    private sealed class CountingBackend(bool[] hasDram) : ICpuBackend
    {
        public List<CountingPackage> Handles { get; } = [];

        public (int Package, int Dram)[] QueueHandleReads =>
            [.. Handles.Where((_, i) => i % 2 == 0).Select(h => (h.PackageReads, h.DramReads))];

        public string Name => "counting";

        public int PackageCount => hasDram.Length;

        public ICpuPackage Open(int index)
        {
            var handle = new CountingPackage(hasDram[index]);
            Handles.Add(handle);
            return handle;
        }
    }

    private sealed class CountingPackage(bool hasDram) : ICpuPackage
    {
        public int PackageReads;
        public int DramReads;

        public bool HasDram => hasDram;

        public ulong ReadPackageEnergyUj() => (ulong)Interlocked.Increment(ref PackageReads);

        public ulong ReadDramEnergyUj() => hasDram ? (ulong)Interlocked.Increment(ref DramReads) : throw new InvalidOperationException();
    }
}
