namespace Zeusd.Devices.Cpu;

/// <summary>What <c>/discover</c> reports about one CPU package.</summary>
public sealed record CpuInfo(int Id, bool DramAvailable);
