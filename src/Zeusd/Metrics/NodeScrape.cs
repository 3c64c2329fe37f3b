using Zeusd.Devices;
using Zeusd.Devices.Cpu;
using Zeusd.Devices.Gpu;

namespace Zeusd.Metrics;

/// <summary>
/// Reads every device for a scrape, through its queue like any read. Concurrent scrapes share the read in flight; a
/// device that has not answered within <see cref="DeviceTimeout"/> is reported down, and its read stays the one in
/// flight (a hung device gets no second command queued behind the first).
/// </summary>
public sealed class NodeScrape(GpuFleet gpus, CpuFleet cpus, bool readGpus, bool readCpus, TimeProvider time)
{
    /// <summary>How long a scrape waits for a device; Prometheus' shortest usual scrape timeout is 1 s.</summary>
    public static readonly TimeSpan DeviceTimeout = TimeSpan.FromMilliseconds(500);

    private readonly Lock _lock = new();
    private readonly Task<GpuReading?>?[] _gpuReads = new Task<GpuReading?>?[readGpus ? gpus.Count : 0];
    private readonly Task<CpuEnergy?>?[] _cpuReads = new Task<CpuEnergy?>?[readCpus ? cpus.Count : 0];
    private Task<NodeReadings>? _current;

    /// <summary>The readings of the scrape in progress, or of a new one.</summary>
    public Task<NodeReadings> ReadAsync()
    {
        lock (_lock)
        {
            if (_current is null || _current.IsCompleted)
            {
                _current = ReadAllAsync();
            }
            return _current;
        }
    }

    private async Task<NodeReadings> ReadAllAsync()
    {
        var pending = new Task[_gpuReads.Length + _cpuReads.Length];
        for (int i = 0; i < _gpuReads.Length; i++)
        {
            pending[i] = Start(ref _gpuReads[i], gpus.Queues[i], gpus.Infos[i].CumulativeEnergyAvailable, ReadGpu);
        }
        for (int i = 0; i < _cpuReads.Length; i++)
        {
            pending[_gpuReads.Length + i] = Start(ref _cpuReads[i], cpus.Queues[i], 0, ReadCpu);
        }
        if (pending.Length > 0)
        {
            using var timeout = new CancellationTokenSource();
            var all = Task.WhenAll(pending);
            if (await Task.WhenAny(all, Task.Delay(DeviceTimeout, time, timeout.Token)).ConfigureAwait(false) == all)
            {
                timeout.Cancel();
            }
        }
        return new NodeReadings(
            [.. _gpuReads.Select(read => read is { IsCompletedSuccessfully: true } ? read.Result : null)],
            [.. _cpuReads.Select(read => read is { IsCompletedSuccessfully: true } ? read.Result : null)]);
    }

    /// <summary>
    /// Starts a device's read unless its previous one is still running. The read is queued from a pool thread: a fast
    /// device's queue may run a command inline on the caller's thread, and a device that hangs then must not hang the
    /// scrape with it.
    /// </summary>
    private static Task<TReading> Start<TDevice, TState, TReading>(
        ref Task<TReading>? slot, DeviceQueue<TDevice> queue, TState state, Func<TDevice, TState, TReading> read)
    {
        if (slot is { IsCompleted: false })
        {
            return slot;
        }
        return slot = Task.Run(async () =>
        {
            try
            {
                return await queue.RunAsync(state, read).ConfigureAwait(false);
            }
            catch (DeviceException)
            {
                // The queue is shutting down.
                return default!;
            }
        });
    }

    /// <summary>Power is the GPU's vital sign (down without it); the other fields are omitted where unsupported.</summary>
    private static GpuReading? ReadGpu(IGpu gpu, bool energyAvailable)
    {
        uint power;
        try
        {
            power = gpu.GetInstantPower();
        }
        catch (DeviceException)
        {
            return null;
        }
        return new GpuReading(
            power,
            energyAvailable ? Optional(gpu, static g => g.GetTotalEnergyConsumption()) : null,
            Optional(gpu, static g => g.GetPowerLimit()),
            Optional(gpu, static g => g.GetPowerLimitConstraints()),
            Optional(gpu, static g => g.GetPersistenceMode()));
    }

    private static T? Optional<T>(IGpu gpu, Func<IGpu, T> read) where T : struct
    {
        try
        {
            return read(gpu);
        }
        catch (DeviceException)
        {
            return null;
        }
    }

    private static CpuEnergy? ReadCpu(ICpuPackage package, int _)
    {
        try
        {
            return CpuFleet.Read(package, cpu: true, dram: true);
        }
        catch (DeviceException)
        {
            return null;
        }
    }
}
