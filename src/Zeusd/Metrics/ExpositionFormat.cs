namespace Zeusd.Metrics;

/// <summary>The two exposition formats a scraper may ask for: Prometheus text 0.0.4, or OpenMetrics 1.0.0.</summary>
public enum ExpositionFormat
{
    Text004,
    OpenMetrics,
}

public static class ExpositionFormats
{
    public const string TextContentType = "text/plain; version=0.0.4; charset=utf-8";
    public const string OpenMetricsContentType = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    /// <summary>OpenMetrics when <c>Accept</c> lists <c>application/openmetrics-text</c> (any q above 0), else text 0.0.4.</summary>
    public static ExpositionFormat Negotiate(string? accept)
    {
        if (string.IsNullOrEmpty(accept))
        {
            return ExpositionFormat.Text004;
        }
        foreach (var range in accept.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = range.Split(';', StringSplitOptions.TrimEntries);
            if (!parts[0].Equals("application/openmetrics-text", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            bool refused = parts.Skip(1).Any(p => p.StartsWith("q=", StringComparison.OrdinalIgnoreCase)
                && double.TryParse(p.AsSpan(2), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double q)
                && q <= 0);
            if (!refused)
            {
                return ExpositionFormat.OpenMetrics;
            }
        }
        return ExpositionFormat.Text004;
    }

    public static string ContentType(this ExpositionFormat format) =>
        format == ExpositionFormat.OpenMetrics ? OpenMetricsContentType : TextContentType;
}
