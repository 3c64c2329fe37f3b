using Zeusd.Metrics;

namespace Zeusd.Tests.Metrics;

public sealed class ExpositionWriterTests
{
    [Fact]
    public void Sample_LabelWithQuoteBackslashNewline_IsEscaped()
    {
        var writer = new ExpositionWriter(ExpositionFormat.Text004);
        writer.Family("zeusd_gpu_info", MetricType.Info, "Always 1.");

        writer.Sample("zeusd_gpu_info", [("name", "A \"B\" C\\D\nE")], 1);

        Assert.Equal("# HELP zeusd_gpu_info Always 1.\n# TYPE zeusd_gpu_info gauge\nzeusd_gpu_info{name=\"A \\\"B\\\" C\\\\D\\nE\"} 1\n", writer.Finish());
    }

    [Fact]
    public void Family_CounterInOpenMetrics_DropsTotalFromTheFamilyAndEndsWithEof()
    {
        var writer = new ExpositionWriter(ExpositionFormat.OpenMetrics);
        writer.Family("zeusd_gpu_energy_joules_total", MetricType.Counter, "Energy \"so far\".");
        writer.Sample("zeusd_gpu_energy_joules_total", [("gpu", "0")], 1.5);

        Assert.Equal(
            "# HELP zeusd_gpu_energy_joules Energy \\\"so far\\\".\n# TYPE zeusd_gpu_energy_joules counter\nzeusd_gpu_energy_joules_total{gpu=\"0\"} 1.5\n# EOF\n",
            writer.Finish());
    }

    [Fact]
    public void Histogram_Buckets_AreCumulativeWithInfCountAndSum()
    {
        var writer = new ExpositionWriter(ExpositionFormat.Text004);

        writer.Histogram("d", "route", "/x", [0.5, 1], [2, 3, 4], 2.25);

        Assert.Equal(
            "d_bucket{route=\"/x\",le=\"0.5\"} 2\nd_bucket{route=\"/x\",le=\"1\"} 3\nd_bucket{route=\"/x\",le=\"+Inf\"} 4\nd_sum{route=\"/x\"} 2.25\nd_count{route=\"/x\"} 4\n",
            writer.Finish());
    }

    [Theory]
    [InlineData(null, ExpositionFormat.Text004)]
    [InlineData("text/plain;version=0.0.4", ExpositionFormat.Text004)]
    [InlineData("application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5", ExpositionFormat.OpenMetrics)]
    [InlineData("text/plain, Application/OpenMetrics-Text; q=0.3", ExpositionFormat.OpenMetrics)]
    [InlineData("application/openmetrics-text;q=0, text/plain", ExpositionFormat.Text004)]
    public void Negotiate_Accept_ChoosesTheFormat(string? accept, ExpositionFormat expected) =>
        Assert.Equal(expected, ExpositionFormats.Negotiate(accept));
}
