using Microsoft.Extensions.Logging;
using Zeusd.Interop.AmdSmi;

namespace Zeusd.Devices.Gpu.AmdSmi;

/// <summary>
/// The node's AMD GPUs through AMD SMI. Each <see cref="Open(int)"/> is a separate instance over the process's one library
/// session (the library is initialized once and never shut down, as in the original daemon).
/// </summary>
internal sealed class AmdSmiGpuBackend : IGpuBackend, IGpuEnergyCounterValidation
{
    private readonly AmdSmiSession _session;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly AmdSmiGpu?[] _first;

    private AmdSmiGpuBackend(AmdSmiSession session, int count, ILogger logger)
    {
        _session = session;
        _logger = logger;
        DeviceCount = count;
        _first = new AmdSmiGpu?[count];
    }

    public int DeviceCount { get; }

    /// <summary>Starts the process's AMD SMI session (load, init, version check) and counts its GPUs.</summary>
    /// <exception cref="DeviceException">AMD SMI is unusable: <c>Failed to load AMD SMI: …</c> or <c>AMDSMI error …</c>.</exception>
    public static AmdSmiGpuBackend Open(AmdSmiLibrarySearch search, ILogger logger)
    {
        var session = AmdSmiSession.Start(search, logger);
        return new AmdSmiGpuBackend(session, session.EnumerateGpus().Length, logger);
    }

    public IGpu Open(int index)
    {
        var gpu = AmdSmiGpu.Open(_session, index, _logger);
        lock (_lock)
        {
            _first[index] ??= gpu;
        }
        return gpu;
    }

    /// <summary>Read through the GPU's first handle (its management handle), like the original daemon at startup.</summary>
    public string GetName(int index) => FirstHandle(index).ReadName();

    public string GetPciAddress(int index) => FirstHandle(index).ReadPciAddress();

    /// <summary>Runs the energy validation on the management handles, which then serve the counter if it passed.</summary>
    public bool[] ValidateEnergyCounters() =>
        AmdSmiEnergyValidation.Run([.. Enumerable.Range(0, DeviceCount).Select(FirstHandle)], _logger);

    private AmdSmiGpu FirstHandle(int index)
    {
        lock (_lock)
        {
            if (_first[index] is { } gpu)
            {
                return gpu;
            }
        }
        return (AmdSmiGpu)Open(index);
    }

    /// <summary>Nothing to release: the library stays initialized for the life of the process.</summary>
    public void Dispose()
    {
    }
}
