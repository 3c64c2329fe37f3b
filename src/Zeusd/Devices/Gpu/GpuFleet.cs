using Microsoft.Extensions.Logging;
using Zeusd.Common;

namespace Zeusd.Devices.Gpu;

/// <summary>
/// The node's GPUs: what <c>/discover</c> says about each, one management queue per GPU and, for streaming, a second
/// independent handle per GPU behind its own queue. Every hardware call runs on one of these queues' threads.
/// </summary>
public sealed partial class GpuFleet : IAsyncDisposable
{
    private readonly IGpuBackend? _backend;

    private readonly ILogger? _logger;

    private GpuFleet(IGpuBackend? backend, GpuInfo[] infos, DeviceQueue<IGpu>[] queues, DeviceQueue<IGpu>[] pollerQueues, ILogger? logger)
    {
        _backend = backend;
        _logger = logger;
        Infos = infos;
        Queues = queues;
        PollerQueues = pollerQueues;
        AllIds = [.. Enumerable.Range(0, infos.Length)];
    }

    /// <summary>Every GPU id, in order (what a read without <c>gpu_ids</c> covers).</summary>
    public int[] AllIds { get; }

    public static GpuFleet Empty { get; } = new(null, [], [], [], null);

    public IReadOnlyList<GpuInfo> Infos { get; }

    /// <summary>Management queues, indexed by GPU id.</summary>
    public IReadOnlyList<DeviceQueue<IGpu>> Queues { get; }

    /// <summary>
    /// The power pollers' handles, separate from the management handles, each with its own thread (never run inline);
    /// empty unless requested.
    /// </summary>
    public IReadOnlyList<DeviceQueue<IGpu>> PollerQueues { get; }

    public int Count => Infos.Count;

    /// <summary>The id of the GPU whose management handle <paramref name="gpu"/> is (what a queued command receives).</summary>
    public int IdOf(IGpu gpu)
    {
        for (int i = 0; i < Queues.Count; i++)
        {
            if (ReferenceEquals(Queues[i].Device, gpu))
            {
                return i;
            }
        }
        throw new ArgumentException("Not a management handle of this fleet.", nameof(gpu));
    }

    /// <summary>
    /// Opens every GPU of <paramref name="backend"/>, reads its name and PCI address and checks its energy counter
    /// (per GPU, or all at once for a backend that validates its counters), in the original daemon's order, then wraps its management handle in <paramref name="decorators"/> (first
    /// innermost). Any failure other than an unsupported energy counter aborts startup.
    /// </summary>
    /// <exception cref="StartupException">A GPU could not be initialized.</exception>
    public static GpuFleet Open(IGpuBackend backend, IReadOnlyList<IGpuDecorator> decorators, bool openPollerHandles,
        ILoggerFactory loggers, DeviceQueueOptions? queueOptions = null)
    {
        queueOptions ??= DeviceQueueOptions.Default;
        var pollerOptions = queueOptions with { Inline = null, Role = "Power poller" };
        var logger = loggers.CreateLogger("Zeusd.Gpu");
        int count = backend.DeviceCount;
        var infos = new GpuInfo[count];
        var queues = new DeviceQueue<IGpu>[count];
        var pollers = openPollerHandles ? new DeviceQueue<IGpu>[count] : [];
        var validation = backend as IGpuEnergyCounterValidation;
        var opened = new IGpu[count];
        int i = 0;
        bool validating = false;
        try
        {
            for (i = 0; i < count; i++)
            {
                opened[i] = backend.Open(i);
                string name = backend.GetName(i);
                string pciAddress = backend.GetPciAddress(i);
                // A backend that validates its counters does so once every GPU is open (below).
                bool energyAvailable = validation is null && CheckEnergyCounter(opened[i], i, logger);
                infos[i] = new GpuInfo(i, name, pciAddress, energyAvailable);
                if (validation is null)
                {
                    Log.GpuReady(logger, i, name, pciAddress, energyAvailable);
                }
            }
            if (validation is not null)
            {
                validating = true;
                bool[] valid = validation.ValidateEnergyCounters();
                validating = false;
                for (i = 0; i < count; i++)
                {
                    infos[i] = infos[i] with { CumulativeEnergyAvailable = valid[i] };
                    Log.GpuReady(logger, i, infos[i].Name, infos[i].PciAddress, valid[i]);
                }
            }
            for (i = 0; i < count; i++)
            {
                IGpu gpu = opened[i];
                foreach (var decorator in decorators)
                {
                    gpu = decorator.Decorate(i, gpu);
                }
                queues[i] = new DeviceQueue<IGpu>(gpu, "GPU", i, logger, queueOptions);
            }
            // The pollers' handles are a second, independent set, opened once every GPU is ready.
            for (i = 0; i < pollers.Length; i++)
            {
                pollers[i] = new DeviceQueue<IGpu>(backend.Open(i), "GPU", i, logger, pollerOptions);
            }
        }
        catch (DeviceException ex)
        {
            backend.Dispose();
            // A validation failure is not one GPU's: it is shown as the original daemon shows it.
            throw new StartupException(validating ? ex.Message : $"Failed to initialize GPU {i}: {ex.Message}", ex);
        }
        return new GpuFleet(backend, infos, queues, pollers, logger);
    }

    private static bool CheckEnergyCounter(IGpu gpu, int index, ILogger logger)
    {
        try
        {
            gpu.GetTotalEnergyConsumption();
            return true;
        }
        catch (DeviceException ex) when (ex.Kind == DeviceErrorKind.NotSupported)
        {
            Log.EnergyCounterUnsupported(logger, index);
            return false;
        }
    }

    /// <summary>
    /// Drains every queue at once (one drain timeout however many GPUs hang), then shuts the backend down, unless a
    /// call is still inside it: the library stays as it is then, rather than being torn down under a running call.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (await DeviceQueue<IGpu>.DisposeAllAsync(Queues.Concat(PollerQueues)).ConfigureAwait(false))
        {
            _backend?.Dispose();
        }
        else if (_logger is not null)
        {
            Log.BackendLeftOpen(_logger);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "GPU {Index}: {Name} at {PciAddress}, cumulative energy counter available: {EnergyAvailable}")]
        public static partial void GpuReady(ILogger logger, int index, string name, string pciAddress, bool energyAvailable);

        [LoggerMessage(2, LogLevel.Warning, "GPU {Index} has no cumulative energy counter (pre-Volta); get_cumulative_energy will answer 400")]
        public static partial void EnergyCounterUnsupported(ILogger logger, int index);

        [LoggerMessage(3, LogLevel.Warning, "Not shutting down the GPU library: a call is still running inside it")]
        public static partial void BackendLeftOpen(ILogger logger);
    }
}
