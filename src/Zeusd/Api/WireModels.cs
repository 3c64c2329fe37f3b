namespace Zeusd.Api;

// The JSON shapes of the wire contract. Property order is the order on the wire.

/// <param name="GpuIds">What daemon v0.3/v0.4 answered and Zeus 0.14-0.15 read (current clients ignore it).</param>
/// <param name="CpuIds">As <paramref name="GpuIds"/>.</param>
/// <param name="DramAvailable">As <paramref name="GpuIds"/>: one flag per CPU package, in id order.</param>
public sealed record DiscoveryResponse(
    IReadOnlyList<GpuDiscoveryEntry> Gpus,
    IReadOnlyList<CpuDiscoveryEntry> Cpus,
    IReadOnlyList<string> EnabledApiGroups,
    bool AuthRequired,
    IReadOnlyList<int> GpuIds,
    IReadOnlyList<int> CpuIds,
    IReadOnlyList<bool> DramAvailable);

public sealed record GpuDiscoveryEntry(int Id, string Name, string PciAddress, bool CumulativeEnergyAvailable);

public sealed record CpuDiscoveryEntry(int Id, bool DramAvailable);

public sealed record ErrorResponse(string Error);

public readonly record struct TimeResponse(ulong TimestampMs);
