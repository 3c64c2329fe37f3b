namespace Zeusd.Devices.Gpu;

/// <summary>The range a GPU accepts for its power limit, in milliwatts.</summary>
public readonly record struct PowerLimitConstraints(uint MinMilliwatts, uint MaxMilliwatts);
