using System.Globalization;
using System.Text.Json;

namespace Zeusd.Compat;

/// <summary>
/// Reads a JSON object into a flat struct of booleans and u32s with serde_json's rules and texts (what actix returned
/// after <c>Json deserialize error: </c>): booleans are the JSON literals only; a u32 is a JSON integer in range
/// (<c>invalid value: integer `-1`, expected u32</c>); repeated fields are refused; unknown fields are ignored; the first
/// missing field in declaration order is reported at the object's end; nothing may follow the object.
/// </summary>
public static class SerdeStructReader
{
    /// <param name="structName">The Rust struct's name, for <c>expected struct X</c>.</param>
    /// <param name="fields">The struct's fields in declaration order.</param>
    /// <param name="values">Receives each field's value (booleans as 0 or 1), by field index.</param>
    /// <returns>null on success, else serde_json's text with its position.</returns>
    public static string? Read(ReadOnlySpan<byte> json, string structName, SerdeField[] fields, ulong[] values) =>
        SerdeJsonText.Guard<ulong[]>(json, (ReadOnlySpan<byte> body, out ulong[]? read) =>
        {
            read = values;
            return ReadObject(body, structName, fields, values);
        }, out _);

    private static string? ReadObject(ReadOnlySpan<byte> json, string structName, SerdeField[] fields, ulong[] values)
    {
        var reader = new Utf8JsonReader(json);
        if (SerdeJsonText.ReadObjectStart(ref reader, json, "struct " + structName) is { } notAnObject)
        {
            return notAnObject;
        }
        var state = new ReadState(fields, values, 0);
        if (SerdeJsonText.ReadProperties(ref reader, json, ref state, ReadField) is { } error)
        {
            return error;
        }
        int end = (int)reader.BytesConsumed;
        for (int i = 0; i < fields.Length; i++)
        {
            if ((state.Present & (1 << i)) == 0)
            {
                return SerdeJsonText.At(SerdeJsonText.MissingField(fields[i].Name), json, end);
            }
        }
        return SerdeJsonText.Trailing(json, end);
    }

    private static string? ReadField(string name, ref Utf8JsonReader reader, ReadOnlySpan<byte> json, ref ReadState state)
    {
        int field = Array.FindIndex(state.Fields, f => f.Name == name);
        if (field < 0)
        {
            reader.Skip();
            return null;
        }
        state.Present |= 1 << field;
        if (state.Fields[field].IsBoolean)
        {
            if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False))
            {
                return Mistyped(ref reader, json, "a boolean");
            }
            state.Values[field] = reader.TokenType == JsonTokenType.True ? 1u : 0u;
            return null;
        }
        if (reader.TokenType != JsonTokenType.Number || reader.ValueSpan.IndexOfAny((byte)'.', (byte)'e', (byte)'E') >= 0)
        {
            return Mistyped(ref reader, json, "u32");
        }
        if (!uint.TryParse(reader.ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out uint number))
        {
            // An integer, but negative or past u32: serde's "invalid value", unless it does not even fit 64 bits (a float to serde).
            string described = SerdeJsonText.DescribeNumber(reader.ValueSpan);
            string message = described.StartsWith("integer", StringComparison.Ordinal)
                ? $"invalid value: {described}, expected u32"
                : SerdeJsonText.InvalidType(described, "u32");
            return SerdeJsonText.At(message, json, SerdeJsonText.ValueErrorIndex(ref reader));
        }
        state.Values[field] = number;
        return null;
    }

    private static string Mistyped(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, string expected)
    {
        string message = SerdeJsonText.InvalidType(SerdeJsonText.Unexpected(ref reader), expected);
        long at = SerdeJsonText.ValueErrorIndex(ref reader);
        reader.Skip();
        return SerdeJsonText.At(message, json, at);
    }

    private struct ReadState(SerdeField[] fields, ulong[] values, int present)
    {
        public readonly SerdeField[] Fields = fields;
        public readonly ulong[] Values = values;
        public int Present = present;
    }
}
