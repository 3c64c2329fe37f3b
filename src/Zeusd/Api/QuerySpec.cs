using Zeusd.Compat;

namespace Zeusd.Api;

/// <summary>
/// The parameters one endpoint accepts, in declaration order (the order error messages list them in).
/// Anything else in the query string is rejected.
/// </summary>
public sealed class QuerySpec
{
    public QuerySpec(params (string Name, QueryFieldKind Kind, bool Required)[] fields)
    {
        if (fields.Length > QueryValues.MaxFields)
        {
            throw new ArgumentException($"At most {QueryValues.MaxFields} fields are supported.", nameof(fields));
        }
        Names = fields.Select(f => f.Name).ToArray();
        Kinds = fields.Select(f => f.Kind).ToArray();
        Required = fields.Select(f => f.Required).ToArray();
        ExpectedText = SerdeText.Expected(Names);
    }

    public string[] Names { get; }
    public QueryFieldKind[] Kinds { get; }
    public bool[] Required { get; }

    /// <summary>The tail of serde's unknown-field message, e.g. <c>expected `gpu_ids` or `block`</c>.</summary>
    public string ExpectedText { get; }

    public int IndexOf(ReadOnlySpan<char> name)
    {
        for (int i = 0; i < Names.Length; i++)
        {
            if (name.SequenceEqual(Names[i]))
            {
                return i;
            }
        }
        return -1;
    }
}
