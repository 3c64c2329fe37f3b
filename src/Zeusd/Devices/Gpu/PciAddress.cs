namespace Zeusd.Devices.Gpu;

/// <summary>PCI addresses as <c>/discover</c> shows them: lowercase, like <c>lspci -D</c>.</summary>
public static class PciAddress
{
    /// <summary>
    /// <c>dddd:bb:dd.0</c> from NVML's domain, bus and device. The function is always 0 and the domain has (at least)
    /// 4 digits, unlike NVML's own 8-digit, uppercase bus id, because clients match these strings against lspci's.
    /// </summary>
    public static string FromNvml(uint domain, uint bus, uint device) => $"{domain:x4}:{bus:x2}:{device:x2}.0";
}
