namespace Zeusd.Devices.Cpu.Rapl;

/// <summary>A RAPL package found at startup (<c>intel-rapl:Index</c>) and its DRAM subzone, if it has one.</summary>
public sealed record RaplPackageInfo(int Index, RaplZoneInfo Package, RaplZoneInfo? Dram);
