using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Serialization;

namespace Zeusd.Overrides;

/// <summary>Source-generated Tomlyn metadata for the untyped model (<see cref="TomlTable"/>): no reflection, NativeAOT-safe.</summary>
[TomlSerializable(typeof(TomlTable))]
internal sealed partial class OverridesTomlContext : TomlSerializerContext
{
    public OverridesTomlContext(TomlSerializerOptions options) : base(options)
    {
    }
}
