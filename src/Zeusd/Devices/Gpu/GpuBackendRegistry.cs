using Microsoft.Extensions.Logging;
using Zeusd.Common;
using Zeusd.Configuration;

namespace Zeusd.Devices.Gpu;

/// <summary>
/// The GPU backends this binary has, and the choice among them that <c>--gpu-backend</c> asks for (contract §2,
/// step 3; amd-smi.md §3.11): an explicit backend must open, <c>auto</c> probes every backend and takes the one that
/// reports GPUs.
/// </summary>
public sealed partial class GpuBackendRegistry(IReadOnlyList<IGpuBackendProvider> providers)
{
    /// <returns>The backend, or null when the node runs with zero GPUs.</returns>
    /// <exception cref="StartupException">An explicit backend is missing or unusable, or <c>auto</c> found two.</exception>
    public IGpuBackend? Resolve(GpuBackendKind kind, ILogger logger) =>
        kind == GpuBackendKind.Auto ? ProbeAll(logger) : OpenExplicit(kind, logger);

    private IGpuBackend OpenExplicit(GpuBackendKind kind, ILogger logger)
    {
        var provider = providers.FirstOrDefault(p => p.Kind == kind)
            ?? throw new StartupException(
                $"this zeusd binary was built without the {kind.WireName()} backend; use --gpu-backend {string.Join(" or ", providers.Select(p => p.Kind.WireName()).Append("auto"))}");
        var backend = provider.TryOpen(out string? error)
            ?? throw new StartupException(provider.ExplicitFailure(error!));
        Log.Selected(logger, provider.DisplayName, backend.DeviceCount);
        return backend;
    }

    /// <summary>
    /// Every backend is probed, even after one found GPUs, so a node with both vendors fails loudly instead of serving
    /// half its GPUs. A probe failure is a warning: a CPU-only node runs the same daemon with zero GPUs.
    /// </summary>
    private IGpuBackend? ProbeAll(ILogger logger)
    {
        var found = new List<(IGpuBackendProvider Provider, IGpuBackend Backend)>();
        foreach (var provider in providers)
        {
            if (provider.TryOpen(out string? error) is not { } backend)
            {
                Log.ProbeFailed(logger, provider.DisplayName, error!);
            }
            else if (backend.DeviceCount > 0)
            {
                found.Add((provider, backend));
            }
            else
            {
                backend.Dispose();
            }
        }
        if (found.Count > 1)
        {
            foreach (var (_, backend) in found)
            {
                backend.Dispose();
            }
            throw new StartupException("both NVIDIA and AMD GPUs detected; pick one with --gpu-backend");
        }
        if (found.Count == 0)
        {
            Log.NoGpus(logger);
            return null;
        }
        Log.Selected(logger, found[0].Provider.DisplayName, found[0].Backend.DeviceCount);
        return found[0].Backend;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "No GPU backend reported any GPUs; serving zero GPUs")]
        public static partial void NoGpus(ILogger logger);

        [LoggerMessage(2, LogLevel.Warning, "{Backend} backend probe failed: {Error}. Treating it as zero GPUs.")]
        public static partial void ProbeFailed(ILogger logger, string backend, string error);

        [LoggerMessage(3, LogLevel.Information, "{Backend} backend was selected with {Count} GPU(s)")]
        public static partial void Selected(ILogger logger, string backend, int count);
    }
}
