using System.Text;
using Zeusd.Compat;

namespace Zeusd.Api;

/// <summary>
/// Parsing and range checks of <c>gpu_ids</c> / <c>cpu_ids</c>: comma-separated unsigned indices, trimmed, sorted and
/// de-duplicated, with the original daemon's error texts. The three kinds of endpoint check the range differently.
/// </summary>
public static class DeviceIdList
{
    /// <returns>null and sorted, distinct ids on success, else the error text (a JSON <c>error</c> body).</returns>
    public static string? TryParse(string raw, DeviceKind kind, out ulong[] ids)
    {
        ids = [];
        var span = raw.AsSpan().Trim();
        if (span.IsEmpty)
        {
            return $"{Param(kind)} must contain at least one {Noun(kind)} index";
        }
        Span<ulong> stack = stackalloc ulong[16];
        var parsed = new ValueList(stack);
        foreach (var range in span.Split(','))
        {
            var part = span[range].Trim();
            if (part.IsEmpty)
            {
                return $"{Param(kind)} contains an empty {Noun(kind)} index";
            }
            if (RustUnsignedParser.TryParse(part, ulong.MaxValue, out ulong id) is not null)
            {
                return $"Invalid {Noun(kind)} index: {part}";
            }
            parsed.Add(id);
        }
        var sorted = parsed.AsSpan();
        sorted.Sort();
        int distinct = 0;
        for (int i = 0; i < sorted.Length; i++)
        {
            if (i == 0 || sorted[i] != sorted[distinct - 1])
            {
                sorted[distinct++] = sorted[i];
            }
        }
        ids = sorted[..distinct].ToArray();
        return null;
    }

    /// <summary>Read endpoints: the smallest id that does not exist, as <c>GPU 4 not found</c>.</summary>
    public static string? CheckReadRange(ulong[] ids, int count, DeviceKind kind, out int[] valid) =>
        FirstMissing(ids, count, out valid) is { } id ? $"{Noun(kind)} {id} not found" : null;

    /// <summary>Write endpoints: the smallest id that does not exist, as <c>GPU index 4 does not exist.</c> (a text body).</summary>
    public static string? CheckWriteRange(ulong[] ids, int count, DeviceKind kind, out int[] valid) =>
        FirstMissing(ids, count, out valid) is { } id ? $"{Noun(kind)} index {id} does not exist." : null;

    /// <summary>Stream endpoints: every unknown id, with the available ones, in Rust's debug-list format.</summary>
    public static string? CheckStreamRange(ulong[] ids, int count, DeviceKind kind, out int[] valid)
    {
        if (FirstMissing(ids, count, out valid) is null)
        {
            return null;
        }
        var text = new StringBuilder();
        text.Append("Unknown ").Append(Noun(kind)).Append(" indices: [");
        text.AppendJoin(", ", ids.Where(id => id >= (ulong)count));
        text.Append("]. Available: [");
        text.AppendJoin(", ", Enumerable.Range(0, count));
        text.Append(']');
        return text.ToString();
    }

    private static ulong? FirstMissing(ulong[] ids, int count, out int[] valid)
    {
        valid = [];
        foreach (ulong id in ids)
        {
            if (id >= (ulong)count)
            {
                return id;
            }
        }
        valid = new int[ids.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            valid[i] = (int)ids[i];
        }
        return null;
    }

    /// <summary>A list that lives on the stack until it outgrows it (id lists are short).</summary>
    private ref struct ValueList(Span<ulong> initial)
    {
        private Span<ulong> _items = initial;
        private int _count;

        public void Add(ulong value)
        {
            if (_count == _items.Length)
            {
                var larger = new ulong[_items.Length * 2];
                _items.CopyTo(larger);
                _items = larger;
            }
            _items[_count++] = value;
        }

        public readonly Span<ulong> AsSpan() => _items[.._count];
    }

    private static string Param(DeviceKind kind) => kind == DeviceKind.Gpu ? "gpu_ids" : "cpu_ids";

    private static string Noun(DeviceKind kind) => kind == DeviceKind.Gpu ? "GPU" : "CPU";
}
