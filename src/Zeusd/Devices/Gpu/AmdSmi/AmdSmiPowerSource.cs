namespace Zeusd.Devices.Gpu.AmdSmi;

/// <summary>Which field of <c>amdsmi_power_info_t</c> a GPU handle reads power from, chosen once when it opens.</summary>
internal enum AmdSmiPowerSource
{
    /// <summary><c>current_socket_power</c> (newer GPUs).</summary>
    Current,
    /// <summary><c>average_socket_power</c>, when the current value is not available.</summary>
    Average,
    /// <summary>Neither field is available: every power read answers NOT_SUPPORTED.</summary>
    Unsupported,
}
