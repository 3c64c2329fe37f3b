namespace Zeusd.Devices.Gpu;

/// <summary>
/// A GPU that resets both clock domains as one operation of its own (a command override), instead of the two
/// per-domain resets of <see cref="GpuOperations.ResetLockedClocks"/>.
/// </summary>
/// <remarks>Interim seam: becomes <c>IGpu.ResetLockedClocks()</c> with the architecture refactor.</remarks>
public interface IResetsAllLockedClocks
{
    void ResetLockedClocks();
}
