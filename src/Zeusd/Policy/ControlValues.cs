using System.Text;
using System.Text.Unicode;

namespace Zeusd.Policy;

/// <summary>
/// The value(s) a gpu-control request sets, as a grant's bounds see them (a limit in mW, a clock range in MHz, a flag),
/// and as audit lines show them: <c>power_limit_mw=200000</c>, <c>min_clock_mhz=900 max_clock_mhz=1980</c>,
/// <c>enabled=true</c>, nothing for a reset. The one place of that wording.
/// </summary>
public readonly record struct ControlValues(ControlKind Kind, uint First, uint Second)
{
    /// <summary>Room for the longest text: both clock names and two ten-digit numbers (49 bytes).</summary>
    public const int MaxUtf8Length = 64;

    public override string ToString()
    {
        Span<byte> text = stackalloc byte[MaxUtf8Length];
        return Encoding.UTF8.GetString(text[..WriteUtf8(text)]);
    }

    /// <summary>The text as UTF-8, with no string made (audit lines are written on every request).</summary>
    public int WriteUtf8(Span<byte> span)
    {
        int length = 0;
        bool written = Kind switch
        {
            ControlKind.PowerLimit => Utf8.TryWrite(span, $"power_limit_mw={First}", out length),
            ControlKind.GpuLockedClocks or ControlKind.MemLockedClocks =>
                Utf8.TryWrite(span, $"min_clock_mhz={First} max_clock_mhz={Second}", out length),
            ControlKind.PersistenceMode => Utf8.TryWrite(span, $"enabled={(First != 0 ? "true" : "false")}", out length),
            _ => true,
        };
        return written ? length : throw new ArgumentException("The span is shorter than MaxUtf8Length.", nameof(span));
    }
}
