using System.Collections.Concurrent;
using System.Globalization;
using Zeusd.Auth;
using Zeusd.Devices.Gpu;
using Zeusd.GpuWrites;

namespace Zeusd.Metrics;

/// <summary><c>zeusd_gpu_writes_total{gpu,operation,outcome}</c>: every GPU write's outcome, counted by the write pipeline's hook.</summary>
public sealed class GpuWriteMetrics : GpuWriteHook
{
    private readonly ConcurrentDictionary<(int Gpu, GpuWriteOperation Operation, string Outcome), CounterCell> _writes = new();

    public override void AfterApply(in GpuWriteContext write, IGpu gpu, Exception? error) =>
        Count(write.GpuId, write.Command.Operation, error is null ? "ok" : "error");

    public override void Denied(GpuWriteCommand command, Caller caller, string reason)
    {
        foreach (int id in command.GpuIds)
        {
            Count(id, command.Operation, "denied");
        }
    }

    private void Count(int gpu, GpuWriteOperation operation, string outcome) =>
        Interlocked.Increment(ref _writes.GetOrAdd((gpu, operation, outcome), static _ => new CounterCell()).Value);

    public void Write(ExpositionWriter writer)
    {
        writer.Family("zeusd_gpu_writes_total", MetricType.Counter, "GPU writes by GPU, operation and outcome (ok, error, denied).");
        foreach (var (key, count) in _writes.OrderBy(pair => pair.Key.Gpu).ThenBy(pair => pair.Key.Operation).ThenBy(pair => pair.Key.Outcome, StringComparer.Ordinal))
        {
            writer.Sample("zeusd_gpu_writes_total",
                [("gpu", key.Gpu.ToString(CultureInfo.InvariantCulture)), ("operation", key.Operation.WireName()), ("outcome", key.Outcome)],
                Volatile.Read(ref count.Value));
        }
    }
}
