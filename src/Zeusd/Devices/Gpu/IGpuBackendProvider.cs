using Zeusd.Configuration;

namespace Zeusd.Devices.Gpu;

/// <summary>A GPU backend zeusd can use: which <c>--gpu-backend</c> names it, and how to open it.</summary>
public interface IGpuBackendProvider
{
    GpuBackendKind Kind { get; }

    /// <summary>The backend's name in logs and errors (<c>NVML</c>, <c>AMDSMI</c>).</summary>
    string DisplayName { get; }

    /// <summary>Loads the library, initializes it and counts the GPUs.</summary>
    /// <returns>The backend, or null with the reason it cannot be used.</returns>
    IGpuBackend? TryOpen(out string? error);

    /// <summary>The startup error when this backend was asked for by name and <see cref="TryOpen"/> failed.</summary>
    string ExplicitFailure(string error) => $"--gpu-backend {Kind.WireName()}: {DisplayName} is not usable: {error}";
}
