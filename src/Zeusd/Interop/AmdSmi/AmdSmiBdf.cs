namespace Zeusd.Interop.AmdSmi;

/// <summary>
/// <c>amdsmi_bdf_t</c>, a 64-bit union: function in bits 0-2, device in bits 3-7, bus in bits 8-15, domain in bits 16-63.
/// </summary>
internal readonly record struct AmdSmiBdf(ulong Raw)
{
    public ulong Domain => Raw >> 16;

    public uint Bus => (uint)(Raw >> 8) & 0xFF;

    public uint Device => (uint)(Raw >> 3) & 0x1F;

    public uint Function => (uint)Raw & 0x7;

    /// <summary>
    /// <c>dddd:bb:dd.f</c>, lowercase, the domain with at least 4 digits (more when larger) and the real function
    /// digit: byte for byte the string AMD's Python <c>amdsmi_get_gpu_device_bdf</c> gives, which the Zeus client
    /// matches against <c>/discover</c>.
    /// </summary>
    public override string ToString() => $"{Domain:x4}:{Bus:x2}:{Device:x2}.{Function:x}";
}
