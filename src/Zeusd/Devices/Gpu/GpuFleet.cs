using Microsoft.Extensions.Logging;
using Zeusd.Common;

namespace Zeusd.Devices.Gpu;

/// <summary>
/// The node's GPUs: what <c>/discover</c> says about each, one management queue per GPU and, for streaming, a second
/// independent handle per GPU.
/// </summary>
public sealed partial class GpuFleet : IAsyncDisposable
{
    private readonly IGpuBackend? _backend;

    private GpuFleet(IGpuBackend? backend, GpuInfo[] infos, DeviceQueue<IGpu>[] queues, IGpu[] pollerHandles)
    {
        _backend = backend;
        Infos = infos;
        Queues = queues;
        PollerHandles = pollerHandles;
        AllIds = [.. Enumerable.Range(0, infos.Length)];
    }

    /// <summary>Every GPU id, in order (what a read without <c>gpu_ids</c> covers).</summary>
    public int[] AllIds { get; }

    public static GpuFleet Empty { get; } = new(null, [], [], []);

    public IReadOnlyList<GpuInfo> Infos { get; }

    /// <summary>Management queues, indexed by GPU id.</summary>
    public IReadOnlyList<DeviceQueue<IGpu>> Queues { get; }

    /// <summary>Handles for the power pollers, separate from the management handles; empty unless requested.</summary>
    public IReadOnlyList<IGpu> PollerHandles { get; }

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
    public static GpuFleet Open(IGpuBackend backend, IReadOnlyList<IGpuDecorator> decorators, bool openPollerHandles, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("Zeusd.Gpu");
        int count = backend.DeviceCount;
        var infos = new GpuInfo[count];
        var queues = new DeviceQueue<IGpu>[count];
        var pollers = openPollerHandles ? new IGpu[count] : [];
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
                queues[i] = new DeviceQueue<IGpu>(gpu, "GPU", i, logger);
            }
            // The pollers' handles are a second, independent set, opened once every GPU is ready.
            for (i = 0; i < pollers.Length; i++)
            {
                pollers[i] = backend.Open(i);
            }
        }
        catch (DeviceException ex)
        {
            backend.Dispose();
            // A validation failure is not one GPU's: it is shown as the original daemon shows it.
            throw new StartupException(validating ? ex.Message : $"Failed to initialize GPU {i}: {ex.Message}", ex);
        }
        return new GpuFleet(backend, infos, queues, pollers);
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

    public async ValueTask DisposeAsync()
    {
        foreach (var queue in Queues)
        {
            await queue.DisposeAsync().ConfigureAwait(false);
        }
        _backend?.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "GPU {Index}: {Name} at {PciAddress}, cumulative energy counter available: {EnergyAvailable}")]
        public static partial void GpuReady(ILogger logger, int index, string name, string pciAddress, bool energyAvailable);

        [LoggerMessage(2, LogLevel.Warning, "GPU {Index} has no cumulative energy counter (pre-Volta); get_cumulative_energy will answer 400")]
        public static partial void EnergyCounterUnsupported(ILogger logger, int index);
    }
}
