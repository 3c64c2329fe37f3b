using System.Globalization;

namespace Zeusd.Bench;

/// <summary>The RESULT line udsload prints, as key/value pairs.</summary>
public sealed class LoadResult(IReadOnlyDictionary<string, string> values)
{
    public double this[string key] => double.Parse(values[key], CultureInfo.InvariantCulture);

    public bool Has(string key) => values.ContainsKey(key);

    public static LoadResult Parse(string output)
    {
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("udsload printed no RESULT line:\n" + output);
        var values = new Dictionary<string, string>();
        foreach (var pair in line["RESULT ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=');
            if (eq > 0)
            {
                values[pair[..eq]] = pair[(eq + 1)..];
            }
        }
        return new LoadResult(values);
    }
}
