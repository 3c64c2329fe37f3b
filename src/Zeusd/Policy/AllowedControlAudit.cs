using System.Buffers;
using System.Numerics;
using System.Text;
using Zeusd.Logging;

namespace Zeusd.Policy;

/// <summary>
/// The audit line of an allowed gpu-control request (<c>GPU control by {caller}: {route} on GPUs [{gpus}] ({values}):
/// allowed by grant {grant}</c>), as a log state that writes itself as UTF-8, later, on the log writer's thread: it is
/// logged on every allowed request, and made as a string through composite formatting it cost more than the policy's
/// checks (BENCHMARKS.md, issue 17). Everything it holds is immutable; the caller comes as UTF-8, encoded once per
/// connection.
/// </summary>
public sealed class AllowedControlAudit(byte[] caller, string route, int[] gpus, ControlValues values, string grants)
    : IUtf8LogMessage
{
    // The GPUs as a bit set when they are ascending ids below 64 (what a client sends on any node of up to 64 GPUs), else
    // the request's own array. The writer thread reads this object on another core than the one that made it: the
    // array was a second cache miss, half of the cost of making this line (perf annotate, BENCHMARKS.md issue 17).
    private readonly (ulong Set, int[]? List) _gpus = AsSetWhenAscendingBelow64(gpus);

    /// <summary>Into one span sized for the worst case, with one Advance: a buffer call per piece cost as much as the copying.</summary>
    public void WriteMessage(IBufferWriter<byte> message)
    {
        int max = 64 + ControlValues.MaxUtf8Length + 12 * GpuCount + caller.Length + Encoding.UTF8.GetMaxByteCount(route.Length + grants.Length);
        var span = message.GetSpan(max);
        int at = 0;
        Put(span, ref at, "GPU control by "u8);
        Put(span, ref at, caller);
        Put(span, ref at, ": "u8);
        Put(span, ref at, route);
        Put(span, ref at, " on GPUs ["u8);
        if (_gpus.List is null)
        {
            for (ulong set = _gpus.Set; set != 0; set &= set - 1)
            {
                PutGpu(span, ref at, BitOperations.TrailingZeroCount(set));
            }
        }
        else
        {
            foreach (int gpu in _gpus.List)
            {
                PutGpu(span, ref at, gpu);
            }
        }
        Put(span, ref at, "] ("u8);
        at += values.WriteUtf8(span[at..]);
        Put(span, ref at, "): allowed by grant "u8);
        Put(span, ref at, grants);
        message.Advance(at);
    }

    /// <summary>The same text, for a logger that wants a string.</summary>
    public override string ToString()
    {
        var text = new ArrayBufferWriter<byte>();
        WriteMessage(text);
        return Encoding.UTF8.GetString(text.WrittenSpan);
    }

    private int GpuCount => _gpus.List?.Length ?? BitOperations.PopCount(_gpus.Set);

    private static (ulong, int[]?) AsSetWhenAscendingBelow64(int[] gpus)
    {
        ulong set = 0;
        int previous = -1;
        foreach (int gpu in gpus)
        {
            if (gpu <= previous || gpu >= 64)
            {
                return (0, gpus);
            }
            set |= 1UL << gpu;
            previous = gpu;
        }
        return (set, null);
    }

    /// <summary>One id of the list, after a comma unless it is the first.</summary>
    private static void PutGpu(Span<byte> span, ref int at, int gpu)
    {
        if (span[at - 1] != (byte)'[')
        {
            span[at++] = (byte)',';
        }
        gpu.TryFormat(span[at..], out int length);
        at += length;
    }

    private static void Put(Span<byte> span, ref int at, ReadOnlySpan<byte> text)
    {
        text.CopyTo(span[at..]);
        at += text.Length;
    }

    private static void Put(Span<byte> span, ref int at, string text) => at += Encoding.UTF8.GetBytes(text, span[at..]);
}
