using System.Diagnostics;
using System.Globalization;

namespace Zeusd.Metrics;

/// <summary>The standard process series every Prometheus client library exports, under their standard names.</summary>
public sealed class ProcessMetrics
{
    private readonly double _startTimeSeconds;

    public ProcessMetrics()
    {
        using var self = Process.GetCurrentProcess();
        _startTimeSeconds = (self.StartTime.ToUniversalTime() - DateTime.UnixEpoch).TotalSeconds;
    }

    public void Write(ExpositionWriter writer)
    {
        writer.Family("process_cpu_seconds_total", MetricType.Counter, "Total user and system CPU time spent in seconds.");
        writer.Sample("process_cpu_seconds_total", Environment.CpuUsage.TotalTime.TotalSeconds);
        if (ResidentBytes() is { } resident)
        {
            writer.Family("process_resident_memory_bytes", MetricType.Gauge, "Resident memory size in bytes.");
            writer.Sample("process_resident_memory_bytes", resident);
        }
        writer.Family("process_start_time_seconds", MetricType.Gauge, "Start time of the process since unix epoch in seconds.");
        writer.Sample("process_start_time_seconds", Math.Round(_startTimeSeconds, 3));
        if (OperatingSystem.IsLinux())
        {
            writer.Family("process_open_fds", MetricType.Gauge, "Number of open file descriptors.");
            writer.Sample("process_open_fds", OpenFds());
            if (MaxFds() is { } max)
            {
                writer.Family("process_max_fds", MetricType.Gauge, "Maximum number of open file descriptors.");
                writer.Sample("process_max_fds", max);
            }
        }
    }

    /// <summary>
    /// Resident set size: <c>/proc/self/statm</c>'s second field (pages) on Linux, one small read; elsewhere
    /// <see cref="Environment.WorkingSet"/> (which on Linux builds a <c>Process</c> object per call).
    /// </summary>
    private static double? ResidentBytes()
    {
        if (!OperatingSystem.IsLinux())
        {
            return Environment.WorkingSet;
        }
        try
        {
            var fields = File.ReadAllText("/proc/self/statm").Split(' ');
            return fields.Length > 1 && long.TryParse(fields[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out long pages)
                ? (double)pages * Environment.SystemPageSize
                : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static int OpenFds()
    {
        int count = 0;
        foreach (var _ in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            count++;
        }
        return count;
    }

    /// <summary>The soft limit of "Max open files" in <c>/proc/self/limits</c>; null when unreadable or unlimited.</summary>
    private static double? MaxFds()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/limits"))
            {
                if (line.StartsWith("Max open files", StringComparison.Ordinal))
                {
                    var fields = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return fields.Length > 0 && double.TryParse(fields[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out double soft) ? soft : null;
                }
            }
        }
        catch (IOException)
        {
        }
        return null;
    }
}
