using Zeusd.Auth;

namespace Zeusd.GpuWrites;

/// <summary>
/// Decides whether a caller may make a write, for every requested GPU and value, before anything is applied (so a
/// multi-GPU write with one refused GPU changes none).
/// </summary>
public interface IGpuWriteAuthorizer
{
    /// <returns>null to allow, else why not (a 403 text naming the caller, and for a value the GPU and the range).</returns>
    string? Authorize(GpuWriteCommand command, Caller caller);
}
