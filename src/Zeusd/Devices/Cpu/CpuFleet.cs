using Microsoft.Extensions.Logging;

namespace Zeusd.Devices.Cpu;

/// <summary>
/// The node's CPU packages: one management queue each, a second independent handle each (behind its own queue) for
/// streaming, and a
/// keepalive that reads every counter every 30 s so that no wraparound goes unseen while nobody asks.
/// </summary>
public sealed partial class CpuFleet : IAsyncDisposable
{
    /// <summary>How often idle counters are read; RAPL package counters wrap after minutes at full load.</summary>
    public static readonly TimeSpan KeepalivePeriod = TimeSpan.FromSeconds(30);

    private readonly ITimer? _keepalive;

    private CpuFleet(CpuInfo[] infos, DeviceQueue<ICpuPackage>[] queues, DeviceQueue<ICpuPackage>[] pollerQueues, TimeProvider? time)
    {
        Infos = infos;
        Queues = queues;
        PollerQueues = pollerQueues;
        AllIds = [.. Enumerable.Range(0, infos.Length)];
        if (time is not null && queues.Length > 0)
        {
            _keepalive = time.CreateTimer(static state => ((CpuFleet)state!).ReadAllCounters(), this, KeepalivePeriod, KeepalivePeriod);
        }
    }

    /// <summary>Every package id, in order (what a read without <c>cpu_ids</c> covers).</summary>
    public int[] AllIds { get; }

    public static CpuFleet Empty { get; } = new([], [], [], null);

    public IReadOnlyList<CpuInfo> Infos { get; }

    public IReadOnlyList<DeviceQueue<ICpuPackage>> Queues { get; }

    /// <summary>The power pollers' handles, each with its own thread (never run inline).</summary>
    public IReadOnlyList<DeviceQueue<ICpuPackage>> PollerQueues { get; }

    public int Count => Infos.Count;

    public static CpuFleet Open(ICpuBackend backend, TimeProvider time, ILoggerFactory loggers, DeviceQueueOptions? queueOptions = null)
    {
        queueOptions ??= DeviceQueueOptions.Default with { Time = time };
        var pollerOptions = queueOptions with { Inline = null, Role = "Power poller" };
        var logger = loggers.CreateLogger("Zeusd.Cpu");
        int count = backend.PackageCount;
        var infos = new CpuInfo[count];
        var queues = new DeviceQueue<ICpuPackage>[count];
        var pollers = new DeviceQueue<ICpuPackage>[count];
        for (int i = 0; i < count; i++)
        {
            var package = backend.Open(i);
            infos[i] = new CpuInfo(i, package.HasDram);
            queues[i] = new DeviceQueue<ICpuPackage>(package, "CPU", i, logger, queueOptions);
            pollers[i] = new DeviceQueue<ICpuPackage>(backend.Open(i), "CPU", i, logger, pollerOptions);
            Log.CpuReady(logger, i, package.HasDram);
        }
        return new CpuFleet(infos, queues, pollers, time);
    }

    /// <summary>Reads package and DRAM energy through the package's queue.</summary>
    public static CpuEnergy Read(ICpuPackage package, bool cpu, bool dram) => new(
        cpu ? package.ReadPackageEnergyUj() : null,
        dram && package.HasDram ? package.ReadDramEnergyUj() : null);

    private void ReadAllCounters()
    {
        foreach (var queue in Queues)
        {
            try
            {
                queue.Post(0, static (package, _) => Read(package, cpu: true, dram: true), "keepalive read");
            }
            catch (DeviceException)
            {
                // The queue is shutting down.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_keepalive is not null)
        {
            await _keepalive.DisposeAsync().ConfigureAwait(false);
        }
        await DeviceQueue<ICpuPackage>.DisposeAllAsync(Queues.Concat(PollerQueues)).ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "CPU package {Index} ready, DRAM zone: {HasDram}")]
        public static partial void CpuReady(ILogger logger, int index, bool hasDram);
    }
}
