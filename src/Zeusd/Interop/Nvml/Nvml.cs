namespace Zeusd.Interop.Nvml;

/// <summary>
/// The NVIDIA Management Library's entry points (one <c>Interop.&lt;function&gt;.cs</c> file each). They bind to a
/// logical library name that <see cref="NvmlLibrary"/> resolves to the driver's real file at run time, so a node
/// without NVIDIA's driver runs without it.
/// </summary>
internal static unsafe partial class Nvml
{
    public const string LibraryName = "zeusd-nvml";

    /// <summary>Field id of instantaneous board power in milliwatts (<c>NVML_FI_DEV_POWER_INSTANT</c>).</summary>
    public const uint FieldPowerInstant = 186;

    /// <summary><c>NVML_DEVICE_NAME_V2_BUFFER_SIZE</c>: large enough for any device name.</summary>
    public const int DeviceNameBufferSize = 96;
}
