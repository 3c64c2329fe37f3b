using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Integration;

/// <summary>
/// One <c>zeusd serve --gpu-backend amdsmi</c> on the fake libamd_smi.so.26, shared by the tests of a class: four GPUs
/// with distinct names and PCI addresses (one in domain 1 with function 7, one with a domain above 0xFFFF), GPU 3
/// without an energy counter, and power caps that are not whole milliwatts.
/// </summary>
public sealed class AmdSmiDaemonFixture : DaemonFixture
{
    public static readonly string[] Names = ["AMD Instinct MI300X", "AMD Instinct MI300X", "AMD Instinct MI250X / MI250", "AMD Radeon PRO W7900"];

    /// <summary>The raw <c>amdsmi_bdf_t</c> of each GPU (domain bits 16-63, bus 8-15, device 3-7, function 0-2).</summary>
    public static readonly ulong[] Bdfs =
    [
        (0x0000ul << 16) | (0x0cul << 8),
        (0x0000ul << 16) | (0x22ul << 8) | (0x1ful << 3),
        (0x0001ul << 16) | (0xc5ul << 8) | 7,
        (0x12345ul << 16) | (0x3bul << 8) | (0x02ul << 3) | 1,
    ];

    public const int GpuWithoutEnergy = 3;

    public FakeAmdSmi Fake { get; } = new(abi: 26, config: new Dictionary<string, string>
    {
        ["gpus"] = "4",
        ["gpu.0.name"] = Names[0],
        ["gpu.1.name"] = Names[1],
        ["gpu.2.name"] = Names[2],
        ["gpu.3.name"] = Names[3],
        ["gpu.0.bdf"] = $"0x{Bdfs[0]:x}",
        ["gpu.1.bdf"] = $"0x{Bdfs[1]:x}",
        ["gpu.2.bdf"] = $"0x{Bdfs[2]:x}",
        ["gpu.3.bdf"] = $"0x{Bdfs[3]:x}",
        ["gpu.3.energy"] = "unsupported",
        ["gpu.1.min_cap_uw"] = "100000999",
        ["gpu.1.max_cap_uw"] = "750000500",
        ["gpu.2.cap_uw"] = "300000999",
    });

    protected override TimeSpan ClientTimeout => TimeSpan.FromSeconds(10);

    protected override Task<DaemonProcess> StartAsync() =>
        DaemonProcess.StartAsync(["--gpu-backend", "amdsmi", "--enable", "gpu-control,gpu-read"], Fake.Environment);

    protected override void DisposeResources() => Fake.Dispose();
}
