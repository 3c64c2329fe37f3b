using Zeusd.Devices.Cpu;

namespace Zeusd.Metrics;

/// <summary>One scrape's device readings, indexed by device id; null for a device that did not answer in time.</summary>
public sealed record NodeReadings(GpuReading?[] Gpus, CpuEnergy?[] Cpus);
