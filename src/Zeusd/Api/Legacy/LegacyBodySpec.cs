using Zeusd.Compat;

namespace Zeusd.Api.Legacy;

/// <summary>
/// The JSON body of one legacy route, as the first API's Rust struct declared it: the struct's name (it appears in
/// serde's "expected struct ..." texts) and its fields in declaration order (the order missing fields are reported in).
/// Every field is required; unknown fields are ignored, as serde does without <c>deny_unknown_fields</c>.
/// </summary>
public sealed class LegacyBodySpec(string structName, params SerdeField[] fields)
{
    public string StructName => structName;

    public SerdeField[] Fields => fields;

    public static readonly LegacyBodySpec SetPersistenceMode =
        new("SetPersistenceMode", SerdeField.Boolean("enabled"), SerdeField.Boolean("block"));
    public static readonly LegacyBodySpec SetPowerLimit =
        new("SetPowerLimit", SerdeField.UInt32("power_limit_mw"), SerdeField.Boolean("block"));
    public static readonly LegacyBodySpec SetGpuLockedClocks = new("SetGpuLockedClocks",
        SerdeField.UInt32("min_clock_mhz"), SerdeField.UInt32("max_clock_mhz"), SerdeField.Boolean("block"));
    public static readonly LegacyBodySpec ResetGpuLockedClocks = new("ResetGpuLockedClocks", SerdeField.Boolean("block"));
    public static readonly LegacyBodySpec SetMemLockedClocks = new("SetMemLockedClocks",
        SerdeField.UInt32("min_clock_mhz"), SerdeField.UInt32("max_clock_mhz"), SerdeField.Boolean("block"));
    public static readonly LegacyBodySpec ResetMemLockedClocks = new("ResetMemLockedClocks", SerdeField.Boolean("block"));
    public static readonly LegacyBodySpec GetIndexEnergy =
        new("GetIndexEnergy", SerdeField.Boolean("cpu"), SerdeField.Boolean("dram"));
}
