using System.Buffers;
using System.Text;
using Zeusd.Logging;

namespace Zeusd.Policy;

/// <summary>
/// The audit line of an allowed gpu-control request (<c>GPU control by {caller}: {route} on GPUs [{gpus}] ({values}):
/// allowed by grant {grant}</c>), as a log state that writes itself as UTF-8, later, on the log writer's thread: it is
/// logged on every allowed request, and made as a string through composite formatting it cost more than the policy's
/// checks (BENCHMARKS.md, issue 17). Everything it holds is immutable.
/// </summary>
public sealed class AllowedControlAudit(string caller, string route, int[] gpus, ControlValues values, string grants)
    : IUtf8LogMessage
{
    /// <summary>Into one span sized for the worst case, with one Advance: a buffer call per piece cost as much as the copying.</summary>
    public void WriteMessage(IBufferWriter<byte> message)
    {
        int max = 64 + ControlValues.MaxUtf8Length + 12 * gpus.Length + Encoding.UTF8.GetMaxByteCount(caller.Length + route.Length + grants.Length);
        var span = message.GetSpan(max);
        int at = 0;
        Put(span, ref at, "GPU control by "u8);
        Put(span, ref at, caller);
        Put(span, ref at, ": "u8);
        Put(span, ref at, route);
        Put(span, ref at, " on GPUs ["u8);
        for (int i = 0; i < gpus.Length; i++)
        {
            if (i > 0)
            {
                span[at++] = (byte)',';
            }
            gpus[i].TryFormat(span[at..], out int length);
            at += length;
        }
        Put(span, ref at, "] ("u8);
        at += values.WriteUtf8(span[at..]);
        Put(span, ref at, "): allowed by grant "u8);
        Put(span, ref at, grants);
        message.Advance(at);
    }

    public override string ToString() =>
        $"GPU control by {caller}: {route} on GPUs [{string.Join(',', gpus)}] ({values}): allowed by grant {grants}";

    private static void Put(Span<byte> span, ref int at, ReadOnlySpan<byte> text)
    {
        text.CopyTo(span[at..]);
        at += text.Length;
    }

    private static void Put(Span<byte> span, ref int at, string text) => at += Encoding.UTF8.GetBytes(text, span[at..]);
}
