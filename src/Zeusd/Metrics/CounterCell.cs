namespace Zeusd.Metrics;

/// <summary>A counter's value, incremented with <see cref="Interlocked"/> in place (a dictionary value can be neither).</summary>
public sealed class CounterCell
{
    public long Value;
}
