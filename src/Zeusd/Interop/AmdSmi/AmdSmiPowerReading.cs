namespace Zeusd.Interop.AmdSmi;

/// <summary>The two socket power fields of <c>amdsmi_power_info_t</c>, in W, whatever the ABI's layout.</summary>
internal readonly record struct AmdSmiPowerReading(uint CurrentWatts, uint AverageWatts);
