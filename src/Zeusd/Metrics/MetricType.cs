namespace Zeusd.Metrics;

/// <summary>The metric types zeusd exposes.</summary>
public enum MetricType
{
    Gauge,
    Counter,
    Histogram,
}
