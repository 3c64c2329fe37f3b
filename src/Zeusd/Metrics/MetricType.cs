namespace Zeusd.Metrics;

/// <summary>The metric types zeusd exposes.</summary>
public enum MetricType
{
    Gauge,
    Counter,
    Histogram,

    /// <summary>A constant 1 carrying labels (<c>_info</c>): OpenMetrics' info type, a gauge in text 0.0.4.</summary>
    Info,
}
