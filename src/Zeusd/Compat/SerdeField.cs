namespace Zeusd.Compat;

/// <summary>A field of a flat Rust struct that <see cref="SerdeStructReader"/> reads: its name and whether it is a <c>bool</c> (else a <c>u32</c>).</summary>
public readonly record struct SerdeField(string Name, bool IsBoolean)
{
    public static SerdeField Boolean(string name) => new(name, true);

    public static SerdeField UInt32(string name) => new(name, false);
}
