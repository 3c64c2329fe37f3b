namespace Zeusd.Tests.Metrics;

/// <summary>
/// A test that runs Debian's <c>prometheus</c>/<c>promtool</c>. Skipped only when the binaries are absent outside CI;
/// in CI (<c>CI</c> set, as <c>.ci/run</c> does after installing the package) it always runs, and fails if they are missing.
/// </summary>
public sealed class PrometheusFactAttribute : FactAttribute
{
    public PrometheusFactAttribute()
    {
        if (PrometheusTools.Find("prometheus") is null && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Skip = "the prometheus binary is not installed (apt-get install prometheus); CI installs it and runs this test";
        }
    }
}
