namespace Zeusd.Interop.AmdSmi;

/// <summary>
/// The AMD SMI library's entry points (one <c>Interop.&lt;function&gt;.cs</c> file each, prototypes of ROCm's
/// <c>amdsmi.h</c>). They bind to a logical library name that <see cref="AmdSmiLibrary"/> resolves to the file it
/// loaded, so a node without ROCm runs without it. Out-structs whose layout differs between ABIs are passed as byte
/// buffers and decoded by the ABI's <see cref="AmdSmiAbiLayout"/>.
/// </summary>
internal static unsafe partial class AmdSmi
{
    public const string LibraryName = "zeusd-amdsmi";

    /// <summary><c>AMDSMI_INIT_AMD_GPUS</c>.</summary>
    public const ulong InitAmdGpus = 2;

    /// <summary>
    /// Bytes passed for <c>amdsmi_asic_info_t</c>: the struct is 456 (ABI 24) or 896 bytes (ABI 25, 26); room to spare
    /// for a library that grows it.
    /// </summary>
    public const int AsicInfoBufferSize = 1024;

    /// <summary>Bytes passed for <c>amdsmi_power_info_t</c> (68, 40 or 192 bytes depending on the ABI).</summary>
    public const int PowerInfoBufferSize = 256;

    /// <summary>Bytes passed for <c>amdsmi_version_t</c> (24 bytes in every ABI).</summary>
    public const int VersionBufferSize = 32;

    /// <summary><c>market_name</c> of <c>amdsmi_asic_info_t</c>: <c>char[256]</c> at offset 0 in every ABI.</summary>
    public const int MarketNameLength = 256;

    /// <summary>
    /// Every symbol zeusd resolves, in the order the original daemon resolves them; a library lacking any one is
    /// rejected at load time rather than failing on first use.
    /// </summary>
    public static readonly string[] RequiredSymbols =
    [
        "amdsmi_init", "amdsmi_shut_down", "amdsmi_get_socket_handles", "amdsmi_get_processor_handles",
        "amdsmi_get_gpu_asic_info", "amdsmi_get_gpu_device_bdf", "amdsmi_get_power_cap_info", "amdsmi_set_power_cap",
        "amdsmi_get_power_info", "amdsmi_get_energy_count", "amdsmi_get_clock_info", "amdsmi_get_lib_version",
        "amdsmi_status_code_to_string", "amdsmi_set_gpu_clk_limit", "amdsmi_set_gpu_perf_level",
    ];
}
