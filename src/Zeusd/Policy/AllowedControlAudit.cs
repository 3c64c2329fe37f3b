using System.Buffers;
using System.Numerics;
using System.Text;
using Zeusd.Logging;

namespace Zeusd.Policy;

/// <summary>
/// The audit line of an allowed gpu-control request (<c>GPU control by {caller}: {route} on GPUs [{gpus}] ({values}):
/// allowed by grant {grant}</c>), queued by value and written as UTF-8 later, on the log writer's thread: it is logged
/// on every allowed request, and made as a string through composite formatting it cost more than the policy's checks
/// (BENCHMARKS.md, issue 17). Its parts: the caller as UTF-8 (encoded once per connection), the route, the grants, the
/// GPUs and the values.
/// </summary>
public sealed class AllowedControlAudit : IUtf8LogFormat
{
    public static AllowedControlAudit Format { get; } = new();

    private AllowedControlAudit()
    {
    }

    /// <summary>
    /// The line's parts. The GPUs go as a bit set when they are ascending ids below 64 (what a client sends on any node
    /// of up to 64 GPUs), else as the request's own array: the writer thread reads the parts on another core than the
    /// one that made them, and the array was a second cache miss, half of the cost of making this line (perf annotate,
    /// BENCHMARKS.md issue 17). The values: their kind, and both numbers in one.
    /// </summary>
    public static LogMessageParts Parts(byte[] caller, string route, int[] gpus, ControlValues values, string grants)
    {
        var (set, list) = AsSetWhenAscendingBelow64(gpus);
        return new(caller, route, grants, list, set, (ulong)values.Kind, (ulong)values.First << 32 | values.Second);
    }

    /// <summary>Into one span sized for the worst case, with one Advance: a buffer call per piece cost as much as the copying.</summary>
    public void Write(in LogMessageParts parts, IBufferWriter<byte> message)
    {
        var caller = (byte[])parts.Object1!;
        var route = (string)parts.Object2!;
        var grants = (string)parts.Object3!;
        var list = (int[]?)parts.Object4;
        ulong set = parts.Number1;
        var values = new ControlValues((ControlKind)parts.Number2, (uint)(parts.Number3 >> 32), (uint)parts.Number3);
        int gpuCount = list?.Length ?? BitOperations.PopCount(set);
        int max = 64 + ControlValues.MaxUtf8Length + 12 * gpuCount + caller.Length + Encoding.UTF8.GetMaxByteCount(route.Length + grants.Length);
        var span = message.GetSpan(max);
        int at = 0;
        Put(span, ref at, "GPU control by "u8);
        Put(span, ref at, caller);
        Put(span, ref at, ": "u8);
        Put(span, ref at, route);
        Put(span, ref at, " on GPUs ["u8);
        if (list is null)
        {
            for (; set != 0; set &= set - 1)
            {
                PutGpu(span, ref at, BitOperations.TrailingZeroCount(set));
            }
        }
        else
        {
            foreach (int gpu in list)
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
