namespace Zeusd.Devices.Cpu.Rapl;

/// <summary>A RAPL zone found at startup: its sysfs directory, its <c>name</c>, and its cached counter range.</summary>
public sealed record RaplZoneInfo(string Directory, string Name, ulong MaxEnergyRangeUj)
{
    public string EnergyPath { get; } = Path.Combine(Directory, "energy_uj");
}
