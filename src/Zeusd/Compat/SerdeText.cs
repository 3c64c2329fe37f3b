namespace Zeusd.Compat;

/// <summary>serde's wording shared by its JSON and query-string deserializers.</summary>
public static class SerdeText
{
    /// <summary>The allowed names as serde lists them: <c>expected `a`</c>, <c>expected `a` or `b`</c>, <c>expected one of `a`, `b`, `c`</c>.</summary>
    public static string Expected(IReadOnlyList<string> names) => names.Count switch
    {
        0 => "there are no fields",
        1 => $"expected `{names[0]}`",
        2 => $"expected `{names[0]}` or `{names[1]}`",
        _ => "expected one of " + string.Join(", ", names.Select(n => $"`{n}`")),
    };
}
