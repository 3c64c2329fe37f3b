using System.Globalization;
using System.Text;

namespace Zeusd.Metrics;

/// <summary>
/// Writes one scrape in Prometheus text 0.0.4 or OpenMetrics 1.0.0. Hand-written because the daemon reads its devices
/// per scrape with up-gating and shared reads, which neither prometheus-net's nor OpenTelemetry's registry models
/// (they export instruments observed between scrapes), and the two formats differ only in counter family names,
/// escaping of HELP and the closing <c># EOF</c>.
/// </summary>
public sealed class ExpositionWriter(ExpositionFormat format)
{
    private readonly StringBuilder _text = new(4096);

    public ExpositionFormat Format => format;

    /// <summary>Starts a family. <paramref name="name"/> is the sample name; a counter's ends in <c>_total</c>, an info's in <c>_info</c>.</summary>
    public void Family(string name, MetricType type, string help)
    {
        bool openMetrics = format == ExpositionFormat.OpenMetrics;
        string familyName = openMetrics && type == MetricType.Counter && name.EndsWith("_total", StringComparison.Ordinal) ? name[..^"_total".Length]
            : openMetrics && type == MetricType.Info && name.EndsWith("_info", StringComparison.Ordinal) ? name[..^"_info".Length]
            : name;
        _text.Append("# HELP ").Append(familyName).Append(' ');
        AppendEscaped(help, escapeQuotes: openMetrics);
        _text.Append('\n');
        _text.Append("# TYPE ").Append(familyName).Append(' ').Append(type switch
        {
            MetricType.Counter => "counter",
            MetricType.Histogram => "histogram",
            MetricType.Info when openMetrics => "info",
            _ => "gauge",
        }).Append('\n');
    }

    public void Sample(string name, double value) => Sample(name, [], value);

    public void Sample(string name, ReadOnlySpan<(string Name, string Value)> labels, double value)
    {
        _text.Append(name);
        if (labels.Length > 0)
        {
            _text.Append('{');
            for (int i = 0; i < labels.Length; i++)
            {
                if (i > 0)
                {
                    _text.Append(',');
                }
                _text.Append(labels[i].Name).Append("=\"");
                AppendEscaped(labels[i].Value, escapeQuotes: true);
                _text.Append('"');
            }
            _text.Append('}');
        }
        _text.Append(' ');
        AppendValue(value);
        _text.Append('\n');
    }

    /// <summary>A histogram's samples: cumulative buckets (the last bound is +Inf), sum, count.</summary>
    public void Histogram(string name, string labelName, string labelValue, ReadOnlySpan<double> bounds, ReadOnlySpan<long> cumulative, double sum)
    {
        string bucket = name + "_bucket";
        for (int i = 0; i < bounds.Length; i++)
        {
            Sample(bucket, [(labelName, labelValue), ("le", FormatValue(bounds[i]))], cumulative[i]);
        }
        Sample(bucket, [(labelName, labelValue), ("le", "+Inf")], cumulative[bounds.Length]);
        Sample(name + "_sum", [(labelName, labelValue)], sum);
        Sample(name + "_count", [(labelName, labelValue)], cumulative[bounds.Length]);
    }

    /// <summary>The finished exposition (OpenMetrics ends with <c># EOF</c>).</summary>
    public string Finish()
    {
        if (format == ExpositionFormat.OpenMetrics)
        {
            _text.Append("# EOF\n");
        }
        return _text.ToString();
    }

    private void AppendValue(double value) => _text.Append(FormatValue(value));

    /// <summary>Shortest round-trip invariant text; infinities and NaN as both formats spell them.</summary>
    private static string FormatValue(double value) => double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Backslash and newline always; double quotes in label values (and in OpenMetrics HELP).</summary>
    private void AppendEscaped(string text, bool escapeQuotes)
    {
        foreach (char c in text)
        {
            switch (c)
            {
                case '\\': _text.Append(@"\\"); break;
                case '\n': _text.Append(@"\n"); break;
                case '"' when escapeQuotes: _text.Append("\\\""); break;
                default: _text.Append(c); break;
            }
        }
    }
}
