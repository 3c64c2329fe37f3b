using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Zeusd.Tests.Metrics;

/// <summary><c>packaging/grafana/zeusd.json</c>: valid JSON whose queries use only series a real scrape has.</summary>
public sealed partial class GrafanaDashboardTests(MetricsDaemonFixture fixture) : IClassFixture<MetricsDaemonFixture>
{
    private static string DashboardPath => Path.GetFullPath(Path.Combine(
        typeof(GrafanaDashboardTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "DaemonSourceDir").Value!,
        "..", "..", "packaging", "grafana", "zeusd.json"));

    [Fact]
    public async Task Dashboard_EveryMetricItsQueriesUse_IsInARealScrape()
    {
        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(DashboardPath));
        var queries = new List<string>();
        Collect(dashboard.RootElement, queries);
        // Requests and a write first, so the request histogram and the write counter have samples.
        await fixture.Client.GetAsync("/discover");
        await fixture.Client.PostAsync("/gpu/set_power_limit?gpu_ids=0&power_limit_mw=250000&block=true", null);
        var scraped = Exposition.SampleNames(await fixture.ScrapeAsync());

        var used = queries.SelectMany(q => MetricName().Matches(q).Select(m => m.Value)).ToHashSet();

        Assert.True(queries.Count >= 10, $"only {queries.Count} queries found");
        Assert.Contains("zeusd_gpu_power_watts", used);
        Assert.Contains("zeusd_http_request_duration_seconds_bucket", used);
        Assert.DoesNotContain(used, name => !scraped.Contains(name));
    }

    /// <summary>Every panel target's <c>expr</c> and every templating query, wherever they are nested.</summary>
    private static void Collect(JsonElement element, List<string> queries)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name is "expr" or "definition" && property.Value.ValueKind == JsonValueKind.String)
                    {
                        queries.Add(property.Value.GetString()!);
                    }
                    Collect(property.Value, queries);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, queries);
                }
                break;
        }
    }

    [GeneratedRegex(@"\b(zeusd|process)_[a-z0-9_]+\b")]
    private static partial Regex MetricName();
}
