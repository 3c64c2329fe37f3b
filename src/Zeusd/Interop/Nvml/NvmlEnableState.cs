namespace Zeusd.Interop.Nvml;

/// <summary><c>nvmlEnableState_t</c>.</summary>
internal enum NvmlEnableState
{
    Disabled = 0,
    Enabled = 1,
}
