namespace Zeusd.Devices.Gpu.AmdSmi;

/// <summary>A clock range in MHz, as zeusd last set or read it.</summary>
internal readonly record struct AmdSmiClockRange(uint Min, uint Max);
