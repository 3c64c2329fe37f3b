using System.Globalization;
using System.Text.RegularExpressions;

namespace Zeusd.Tests.Metrics;

/// <summary>Reads samples out of a text-format scrape, for assertions.</summary>
public static partial class Exposition
{
    /// <summary>The value of the sample with exactly this name and these labels (in the order written), or null.</summary>
    public static double? Value(string scrape, string name, string labels = "")
    {
        string prefix = labels.Length == 0 ? name + " " : $"{name}{{{labels}}} ";
        foreach (var line in scrape.Split('\n'))
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return double.Parse(line[prefix.Length..], CultureInfo.InvariantCulture);
            }
        }
        return null;
    }

    /// <summary>Every sample line of <paramref name="name"/> (any labels).</summary>
    public static string[] Samples(string scrape, string name) =>
        [.. scrape.Split('\n').Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) || line.StartsWith(name + " ", StringComparison.Ordinal))];

    /// <summary>The metric names of every sample in the scrape.</summary>
    public static HashSet<string> SampleNames(string scrape) =>
        [.. scrape.Split('\n').Where(line => line.Length > 0 && line[0] != '#').Select(line => SampleName().Match(line).Value)];

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex SampleName();
}
