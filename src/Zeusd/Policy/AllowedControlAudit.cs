using System.Buffers;
using System.Text;
using Zeusd.Logging;

namespace Zeusd.Policy;

/// <summary>
/// The audit line of an allowed gpu-control request (<c>GPU control by {caller}: {route} on GPUs [{gpus}] ({values}):
/// allowed by grant {grant}</c>), as a log state that writes itself as UTF-8: it is logged on every allowed request, and
/// made as a string through composite formatting it cost more than the policy's checks (BENCHMARKS.md, issue 17).
/// </summary>
public sealed class AllowedControlAudit(string caller, string route, IReadOnlyList<int> gpus, string values, string grants)
    : IUtf8LogMessage
{
    public void WriteMessage(IBufferWriter<byte> message)
    {
        Write(message, "GPU control by "u8);
        Write(message, caller);
        Write(message, ": "u8);
        Write(message, route);
        Write(message, " on GPUs ["u8);
        for (int i = 0; i < gpus.Count; i++)
        {
            if (i > 0)
            {
                Write(message, ","u8);
            }
            var digits = message.GetSpan(11);
            gpus[i].TryFormat(digits, out int length);
            message.Advance(length);
        }
        Write(message, "] ("u8);
        Write(message, values);
        Write(message, "): allowed by grant "u8);
        Write(message, grants);
    }

    public override string ToString() =>
        $"GPU control by {caller}: {route} on GPUs [{string.Join(',', gpus)}] ({values}): allowed by grant {grants}";

    private static void Write(IBufferWriter<byte> message, ReadOnlySpan<byte> text)
    {
        text.CopyTo(message.GetSpan(text.Length));
        message.Advance(text.Length);
    }

    private static void Write(IBufferWriter<byte> message, string text)
    {
        int length = Encoding.UTF8.GetBytes(text, message.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length)));
        message.Advance(length);
    }
}
