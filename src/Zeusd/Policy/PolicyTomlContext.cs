using Tomlyn.Model;
using Tomlyn.Serialization;

namespace Zeusd.Policy;

/// <summary>Source-generated Tomlyn metadata for the untyped model the policy parser reads (trim- and AOT-safe).</summary>
[TomlSerializable(typeof(TomlTable))]
internal sealed partial class PolicyTomlContext : TomlSerializerContext;
