using Microsoft.Extensions.Logging;
using Zeusd.Common;
using Zeusd.Configuration;
using Zeusd.Devices.Gpu.AmdSmi;
using Zeusd.Devices.Gpu.Nvml;
using Zeusd.Devices.Gpu.Simulated;

namespace Zeusd.Devices.Gpu;

/// <summary>Chooses the GPU backend from <c>--gpu-backend</c> and <c>--simulate</c> (contract §2, step 3).</summary>
public static partial class GpuBackendResolver
{
    public const int SimulatedGpuCount = 4;

    /// <returns>The backend, or null when the node runs with zero GPUs.</returns>
    public static IGpuBackend? Resolve(ServeOptions options, TimeProvider time, ILogger logger)
    {
        if (options.Simulate)
        {
            return new SimulatedGpuBackend(SimulatedGpuCount, time);
        }
        switch (options.GpuBackend)
        {
            case GpuBackendKind.AmdSmi:
                return OpenAmdSmi(logger);
            case GpuBackendKind.Nvml:
                var nvml = NvmlGpuBackend.TryProbe(out string? error)
                    ?? throw new StartupException($"--gpu-backend nvml: NVML is not usable: {error}");
                Log.NvmlFound(logger, nvml.DeviceCount);
                return nvml;
            default:
                return ProbeAuto(logger);
        }
    }

    /// <summary><c>amdsmi</c>: any AMD SMI failure stops startup; zero GPUs is a valid node.</summary>
    private static IGpuBackend OpenAmdSmi(ILogger logger)
    {
        var provider = AmdSmiBackendProvider.Default;
        IGpuBackend amd;
        try
        {
            amd = provider.Open(logger);
        }
        catch (DeviceException ex)
        {
            throw new StartupException(ex.Message, ex);
        }
        Log.BackendSelected(logger, provider.Name, amd.DeviceCount);
        return amd;
    }

    /// <summary>
    /// <c>auto</c>: NVML, then AMD SMI (always both on Linux, as the original daemon does, so a node with both kinds is
    /// refused rather than silently half-served). A backend that fails to load counts as zero GPUs, so a CPU-only node runs
    /// the same daemon.
    /// </summary>
    private static IGpuBackend? ProbeAuto(ILogger logger)
    {
        IGpuBackend? nvml = NvmlGpuBackend.TryProbe(out string? error);
        if (nvml is null)
        {
            Log.NvmlProbeFailed(logger, error!);
        }
        var amdProvider = AmdSmiBackendProvider.Default;
        IGpuBackend? amd = null;
        if (amdProvider.IsAvailable)
        {
            amd = amdProvider.TryOpen(logger, out string? amdError);
            if (amd is null)
            {
                Log.AmdSmiProbeFailed(logger, amdError!);
            }
        }
        int nvidiaGpus = nvml?.DeviceCount ?? 0, amdGpus = amd?.DeviceCount ?? 0;
        if (nvidiaGpus > 0 && amdGpus > 0)
        {
            nvml!.Dispose();
            amd!.Dispose();
            throw new StartupException("both NVIDIA and AMD GPUs detected; pick one with --gpu-backend");
        }
        if (nvidiaGpus > 0)
        {
            amd?.Dispose();
            Log.NvmlFound(logger, nvidiaGpus);
            return nvml;
        }
        nvml?.Dispose();
        if (amdGpus > 0)
        {
            Log.BackendSelected(logger, amdProvider.Name, amdGpus);
            return amd;
        }
        amd?.Dispose();
        Log.NoGpuBackend(logger);
        return null;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "No GPU backend found; serving zero GPUs")]
        public static partial void NoGpuBackend(ILogger logger);

        [LoggerMessage(2, LogLevel.Warning, "NVML probe failed: {Error}")]
        public static partial void NvmlProbeFailed(ILogger logger, string error);

        [LoggerMessage(3, LogLevel.Information, "NVML backend: {Count} GPU(s)")]
        public static partial void NvmlFound(ILogger logger, int count);

        [LoggerMessage(4, LogLevel.Warning, "AMDSMI backend probe failed: {Error}. Treating it as zero GPUs.")]
        public static partial void AmdSmiProbeFailed(ILogger logger, string error);

        [LoggerMessage(5, LogLevel.Information, "{Backend} backend was selected with {Count} GPU(s)")]
        public static partial void BackendSelected(ILogger logger, string backend, int count);
    }
}
