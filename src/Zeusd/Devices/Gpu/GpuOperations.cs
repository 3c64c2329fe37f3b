namespace Zeusd.Devices.Gpu;

/// <summary>Operations composed of several device calls, for backends that have no single call for them.</summary>
public static class GpuOperations
{
    /// <summary>
    /// Resets graphics and memory locked clocks. Both resets are always attempted; the first error (graphics, then
    /// memory) is the one reported, so a failing graphics reset never leaves memory clocks locked.
    /// </summary>
    public static void ResetGraphicsThenMemoryClocks(IGpu gpu)
    {
        DeviceException? first = null;
        try
        {
            gpu.ResetGpuLockedClocks();
        }
        catch (DeviceException ex)
        {
            first = ex;
        }
        try
        {
            gpu.ResetMemoryLockedClocks();
        }
        catch (DeviceException ex)
        {
            first ??= ex;
        }
        if (first is not null)
        {
            throw first;
        }
    }
}
