using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Zeusd.Common;

/// <summary>
/// JSON as the original daemon writes it: compact, escaping only what JSON requires (serde_json does not escape
/// <c>'</c> or non-ASCII, and clients compare texts). Used for responses, SSE events and token claims.
/// </summary>
public static class CompactJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = true,
    };

    // One buffer and writer per thread: a body is written synchronously, start to end, before any await.
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    /// <summary>
    /// Serializes into this thread's buffer. The span is valid until the next call on this thread, so callers copy it
    /// before they await.
    /// </summary>
    public static ReadOnlySpan<byte> Serialize<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        writer.Reset(buffer);
        write(writer, state);
        writer.Flush();
        return buffer.WrittenSpan;
    }
}
