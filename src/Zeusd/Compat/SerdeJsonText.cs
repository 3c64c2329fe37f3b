using System.Globalization;
using System.Text.Json;

namespace Zeusd.Compat;

/// <summary>
/// Error texts in the shape serde_json gives them (<c>missing field `sub` at line 1 column 30</c>), because the
/// original daemon returns them after <c>Invalid token: JSON error: </c>. Semantic errors (missing, duplicate or
/// mistyped fields, unknown enum variants) follow serde's wording and positions; syntax errors are reported with
/// serde's wording where the cause is clear and a generic one otherwise. Nothing here decides validity.
/// </summary>
internal static class SerdeJsonText
{
    /// <summary>Reads a value from JSON, returning null or serde's error text.</summary>
    public delegate string? Reader<T>(ReadOnlySpan<byte> json, out T? value);

    /// <summary>
    /// Runs <paramref name="read"/> and turns what Utf8JsonReader throws on malformed input into serde's texts, so that no
    /// token, however broken, escapes verification as an exception.
    /// </summary>
    public static string? Guard<T>(ReadOnlySpan<byte> json, Reader<T> read, out T? value)
    {
        try
        {
            return read(json, out value);
        }
        catch (JsonException ex)
        {
            value = default;
            return Syntax(json, ex);
        }
        catch (InvalidOperationException)
        {
            // A string escape that is not valid UTF-16 (a lone surrogate).
            value = default;
            return "invalid unicode code point";
        }
    }

    /// <summary>Reads the first token; returns null if it opens an object, else serde's "invalid type" text.</summary>
    public static string? ReadObjectStart(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, string expected)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.StartObject
            ? null
            : At(InvalidType(Unexpected(ref reader), expected), json, ValueErrorIndex(ref reader));
    }

    /// <summary>Reads one property's value; the reader is on the value. Returns null, or the error text.</summary>
    public delegate string? PropertyReader<TState>(string name, ref Utf8JsonReader reader, ReadOnlySpan<byte> json, ref TState state);

    /// <summary>
    /// Reads the properties of the object the reader has just started, in order, rejecting a repeated name (stricter than
    /// serde, which keeps the last: two parsers reading different values from one token is a classic JWT confusion).
    /// Returns null with the reader after the object's end, or the first error text.
    /// </summary>
    public static string? ReadProperties<TState>(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, ref TState state,
        PropertyReader<TState> readProperty)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            long keyEnd = reader.TokenStartIndex + reader.ValueSpan.Length + 2;
            if (!seen.Add(name))
            {
                return At(DuplicateField(name), json, SkipWhitespace(json, (int)keyEnd));
            }
            reader.Read();
            if (readProperty(name, ref reader, json, ref state) is { } error)
            {
                return error;
            }
        }
        return null;
    }

    /// <summary><c>{message} at line L column C</c>, where C counts bytes before <paramref name="index"/> on its line.</summary>
    public static string At(string message, ReadOnlySpan<byte> json, long index)
    {
        int end = (int)Math.Clamp(index, 0, json.Length);
        var before = json[..end];
        int lineStart = before.LastIndexOf((byte)'\n') + 1;
        int line = 1 + before[..lineStart].Count((byte)'\n');
        return $"{message} at line {line} column {end - lineStart}";
    }

    public static string InvalidType(string unexpected, string expected) => $"invalid type: {unexpected}, expected {expected}";

    public static string MissingField(string name) => $"missing field `{name}`";

    public static string DuplicateField(string name) => $"duplicate field `{name}`";

    public static string UnknownVariant(string variant, IReadOnlyList<string> expected) =>
        $"unknown variant `{variant}`, {SerdeText.Expected(expected)}";

    /// <summary>
    /// serde's description of the value the reader is on (<c>string "x"</c>, <c>integer `5`</c>, <c>floating point
    /// `1.5`</c>, <c>boolean `true`</c>, <c>null</c>, <c>sequence</c>, <c>map</c>).
    /// </summary>
    public static string Unexpected(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => "string " + RustDebug.String(reader.GetString()!),
        JsonTokenType.Number => DescribeNumber(reader.ValueSpan),
        JsonTokenType.True => "boolean `true`",
        JsonTokenType.False => "boolean `false`",
        JsonTokenType.Null => "null",
        JsonTokenType.StartArray => "sequence",
        _ => "map",
    };

    /// <summary>Where serde reports a mistyped value: after a scalar, but at the opening bracket of an array or object.</summary>
    public static long ValueErrorIndex(ref Utf8JsonReader reader) =>
        reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject ? reader.TokenStartIndex : reader.BytesConsumed;

    /// <summary>
    /// serde's text for a JSON number: integers that fit 64 bits as themselves, everything else (including <c>-0</c>,
    /// which serde_json reads as a float) as a float.
    /// </summary>
    public static string DescribeNumber(ReadOnlySpan<byte> raw)
    {
        bool isInteger = raw.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0;
        if (isInteger && raw.Length > 0 && raw[0] == (byte)'-'
            && long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long signed) && signed != 0)
        {
            return $"integer `{signed}`";
        }
        if (isInteger && ulong.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out ulong unsigned))
        {
            return $"integer `{unsigned}`";
        }
        double value = double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
        return $"floating point `{RustDebug.Float(value)}`";
    }

    /// <summary>
    /// A syntax error from <see cref="Utf8JsonReader"/>, worded like serde_json where the cause is plain (empty input,
    /// a byte that cannot start a value, data after the value).
    /// </summary>
    public static string Syntax(ReadOnlySpan<byte> json, JsonException error)
    {
        int start = SkipWhitespace(json, 0);
        if (start == json.Length)
        {
            return At("EOF while parsing a value", json, json.Length);
        }
        if ("{[\"-0123456789tfn"u8.IndexOf(json[start]) < 0)
        {
            return At("expected value", json, start + 1);
        }
        long line = (error.LineNumber ?? 0) + 1;
        long column = (error.BytePositionInLine ?? 0) + 1;
        return $"invalid JSON at line {line} column {column}";
    }

    /// <summary><c>trailing characters</c> if anything but whitespace follows the value that ends at <paramref name="end"/>.</summary>
    public static string? Trailing(ReadOnlySpan<byte> json, int end)
    {
        int next = SkipWhitespace(json, end);
        return next < json.Length ? At("trailing characters", json, next + 1) : null;
    }

    public static int SkipWhitespace(ReadOnlySpan<byte> json, int index)
    {
        while (index < json.Length && json[index] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
        {
            index++;
        }
        return index;
    }
}
