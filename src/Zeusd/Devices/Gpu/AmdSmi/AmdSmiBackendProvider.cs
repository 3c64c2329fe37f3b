using Microsoft.Extensions.Logging;
using Zeusd.Interop.AmdSmi;

namespace Zeusd.Devices.Gpu.AmdSmi;

/// <summary>
/// <c>--gpu-backend amdsmi</c>, and AMD's half of <c>auto</c>: opens the AMD SMI backend, or says why it cannot.
/// </summary>
internal sealed class AmdSmiBackendProvider(AmdSmiLibrarySearch search)
{
    public static AmdSmiBackendProvider Default { get; } = new(AmdSmiLibrarySearch.Default);

    /// <summary>The name in the selection logs (<c>AMDSMI backend was selected …</c>).</summary>
    public string Name => "AMDSMI";

    /// <summary>ROCm exists only for Linux; elsewhere <c>auto</c> does not probe for it.</summary>
    public bool IsAvailable => OperatingSystem.IsLinux();

    /// <exception cref="DeviceException">AMD SMI is unusable.</exception>
    public IGpuBackend Open(ILogger logger) => IsAvailable
        ? AmdSmiGpuBackend.Open(search, logger)
        : throw AmdSmiErrors.LoadFailed(AmdSmiErrors.LinuxOnly);

    /// <returns>The backend, or null with <paramref name="error"/> saying why AMD SMI is unusable.</returns>
    public IGpuBackend? TryOpen(ILogger logger, out string? error)
    {
        try
        {
            error = null;
            return Open(logger);
        }
        catch (DeviceException ex)
        {
            error = ex.Message;
            return null;
        }
    }
}
