using Zeusd.Devices.Gpu;

namespace Zeusd.Metrics;

/// <summary>One scrape's reading of a GPU; a field is null where the GPU (or its backend) does not have it.</summary>
public sealed record GpuReading(uint PowerMw, ulong? EnergyMj, uint? PowerLimitMw, PowerLimitConstraints? Constraints, bool? PersistenceMode);
