using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Integration;

/// <summary>
/// One <c>zeusd serve --gpu-backend nvml</c> on the fake NVML, shared by the tests of a class: four GPUs with distinct
/// names and PCI addresses, GPU 3 without an energy counter (a pre-Volta board).
/// </summary>
public sealed class NvmlDaemonFixture : DaemonFixture
{
    public static readonly string[] Names = ["NVIDIA A40", "NVIDIA A40", "NVIDIA H100 80GB HBM3", "Tesla P100-PCIE-16GB"];
    public static readonly string[] Pci = ["0000:17:00", "0000:b3:1f", "0001:CA:00", "10000:3b:02"];
    public const int GpuWithoutEnergy = 3;

    public FakeNvml Nvml { get; } = new(gpuCount: 4, names: Names, pci: Pci, noEnergy: [GpuWithoutEnergy]);

    protected override TimeSpan ClientTimeout => TimeSpan.FromSeconds(10);

    protected override Task<DaemonProcess> StartAsync() =>
        DaemonProcess.StartAsync(["--gpu-backend", "nvml", "--enable", "gpu-control,gpu-read"], Nvml.Environment);

    protected override void DisposeResources() => Nvml.Dispose();
}
