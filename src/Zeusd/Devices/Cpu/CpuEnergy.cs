namespace Zeusd.Devices.Cpu;

/// <summary>One reading of a package: package energy and DRAM energy in µJ, each null when not read or absent.</summary>
public readonly record struct CpuEnergy(ulong? CpuUj, ulong? DramUj);
