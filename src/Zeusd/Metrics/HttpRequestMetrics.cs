using System.Collections.Concurrent;
using System.Diagnostics;

namespace Zeusd.Metrics;

/// <summary>
/// <c>zeusd_http_requests_total{route,code}</c> and <c>zeusd_http_request_duration_seconds{route}</c> for the API
/// listener. The route is the registered path (<c>/gpu/{index}/...</c> for the legacy routes); anything else is
/// <see cref="OtherRoute"/>, so a scanner cannot grow the label set.
/// </summary>
public sealed class HttpRequestMetrics
{
    public const string OtherRoute = "other";

    /// <summary>Bucket bounds in seconds: API calls take tens of microseconds, streams minutes.</summary>
    public static readonly double[] Bounds = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly ConcurrentDictionary<(string Route, int Code), CounterCell> _requests = new();
    private readonly ConcurrentDictionary<string, RouteHistogram> _durations = new(StringComparer.Ordinal);

    /// <summary>Wraps the API's terminal delegate; <paramref name="routeOf"/> gives a path's registered route or null.</summary>
    public RequestDelegate Measure(RequestDelegate api, Func<string, string?> routeOf) => async context =>
    {
        long start = Stopwatch.GetTimestamp();
        try
        {
            await api(context).ConfigureAwait(false);
        }
        finally
        {
            Record(routeOf(context.Request.Path.Value ?? "/") ?? OtherRoute, context.Response.StatusCode, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
    };

    public void Record(string route, int code, double seconds)
    {
        Interlocked.Increment(ref _requests.GetOrAdd((route, code), static _ => new CounterCell()).Value);
        _durations.GetOrAdd(route, static _ => new RouteHistogram()).Observe(seconds);
    }

    public void Write(ExpositionWriter writer)
    {
        writer.Family("zeusd_http_requests_total", MetricType.Counter, "API requests answered, by registered route and status code.");
        foreach (var (key, count) in _requests.OrderBy(pair => pair.Key.Route, StringComparer.Ordinal).ThenBy(pair => pair.Key.Code))
        {
            writer.Sample("zeusd_http_requests_total", [("route", key.Route), ("code", key.Code.ToString(System.Globalization.CultureInfo.InvariantCulture))], Volatile.Read(ref count.Value));
        }
        writer.Family("zeusd_http_request_duration_seconds", MetricType.Histogram, "API request duration, by registered route.");
        Span<long> cumulative = stackalloc long[Bounds.Length + 1];
        foreach (var (route, histogram) in _durations.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            double sum = histogram.Snapshot(cumulative);
            writer.Histogram("zeusd_http_request_duration_seconds", "route", route, Bounds, cumulative, sum);
        }
    }

    private sealed class RouteHistogram
    {
        private readonly Lock _lock = new();
        private readonly long[] _counts = new long[Bounds.Length + 1];
        private double _sum;

        public void Observe(double seconds)
        {
            int bucket = 0;
            while (bucket < Bounds.Length && seconds > Bounds[bucket])
            {
                bucket++;
            }
            lock (_lock)
            {
                _counts[bucket]++;
                _sum += seconds;
            }
        }

        /// <summary>Cumulative counts (last = +Inf = total) and the sum, consistent with each other.</summary>
        public double Snapshot(Span<long> cumulative)
        {
            lock (_lock)
            {
                long running = 0;
                for (int i = 0; i < _counts.Length; i++)
                {
                    running += _counts[i];
                    cumulative[i] = running;
                }
                return _sum;
            }
        }
    }
}
