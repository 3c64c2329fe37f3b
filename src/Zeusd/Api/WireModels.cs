namespace Zeusd.Api;

// The JSON shapes of the wire contract. Property order is the order on the wire.

public sealed record DiscoveryResponse(
    IReadOnlyList<GpuDiscoveryEntry> Gpus,
    IReadOnlyList<CpuDiscoveryEntry> Cpus,
    IReadOnlyList<string> EnabledApiGroups,
    bool AuthRequired);

public sealed record GpuDiscoveryEntry(int Id, string Name, string PciAddress, bool CumulativeEnergyAvailable);

public sealed record CpuDiscoveryEntry(int Id, bool DramAvailable);

public sealed record ErrorResponse(string Error);

public readonly record struct TimeResponse(ulong TimestampMs);
