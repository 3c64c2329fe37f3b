namespace Zeusd.Devices.Gpu;

/// <summary>What <c>/discover</c> reports about one GPU, fixed at startup.</summary>
public sealed record GpuInfo(int Id, string Name, string PciAddress, bool CumulativeEnergyAvailable);
