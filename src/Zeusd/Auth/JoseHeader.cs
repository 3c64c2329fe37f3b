using System.Text.Json;
using Zeusd.Compat;

namespace Zeusd.Auth;

/// <summary>
/// Reads the <c>alg</c> of a JWT's JOSE header with the original daemon's rules: the header must be a JSON object with
/// a known <c>alg</c>; the other registered parameters it knows must have their types; unknown parameters are ignored.
/// Stricter than the original: every repeated parameter is rejected (two parsers reading different <c>alg</c>s from
/// one header is a classic JWT confusion).
/// </summary>
internal static class JoseHeader
{
    /// <summary>The algorithms the original's JWT library knows, in its declaration order (for error texts).</summary>
    private static readonly string[] KnownAlgorithms =
        ["HS256", "HS384", "HS512", "ES256", "ES384", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "EdDSA"];

    /// <summary>Returns null and the algorithm name, or the JSON error text.</summary>
    public static string? ReadAlgorithm(ReadOnlySpan<byte> json, out string? algorithm) =>
        SerdeJsonText.Guard<string>(json, Read, out algorithm);

    private static string? Read(ReadOnlySpan<byte> json, out string? algorithm)
    {
        algorithm = null;
        var reader = new Utf8JsonReader(json);
        if (SerdeJsonText.ReadObjectStart(ref reader, json, "struct Header") is { } notAnObject)
        {
            return notAnObject;
        }

        if (SerdeJsonText.ReadProperties(ref reader, json, ref algorithm, static (string name, ref Utf8JsonReader reader,
                ReadOnlySpan<byte> json, ref string? algorithm) => name switch
            {
                "alg" => ReadAlgorithmValue(ref reader, json, out algorithm),
                "typ" or "cty" or "jku" or "kid" or "x5u" or "x5t" or "x5t#S256" => OptionalString(ref reader, json),
                "x5c" => OptionalStringList(ref reader, json),
                _ => Skip(ref reader),
            }) is { } error)
        {
            return error;
        }
        int end = (int)reader.BytesConsumed;
        if (algorithm is null)
        {
            return SerdeJsonText.At(SerdeJsonText.MissingField("alg"), json, end);
        }
        return SerdeJsonText.Trailing(json, end);
    }

    private static string? ReadAlgorithmValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, out string? algorithm)
    {
        algorithm = null;
        if (reader.TokenType != JsonTokenType.String)
        {
            return SerdeJsonText.At("expected value", json, reader.TokenStartIndex + 1);
        }
        string value = reader.GetString()!;
        if (Array.IndexOf(KnownAlgorithms, value) < 0)
        {
            // serde reports it once the enclosing object's closing brace (if next) has been read.
            int index = SerdeJsonText.SkipWhitespace(json, (int)reader.BytesConsumed);
            if (index < json.Length && json[index] == (byte)'}')
            {
                index++;
            }
            return SerdeJsonText.At(SerdeJsonText.UnknownVariant(value, KnownAlgorithms), json, index);
        }
        algorithm = value;
        return null;
    }

    private static string? OptionalString(ref Utf8JsonReader reader, ReadOnlySpan<byte> json) =>
        reader.TokenType is JsonTokenType.String or JsonTokenType.Null
            ? Skip(ref reader)
            : SerdeJsonText.At(SerdeJsonText.InvalidType(SerdeJsonText.Unexpected(ref reader), "a string"),
                json, SerdeJsonText.ValueErrorIndex(ref reader));

    private static string? OptionalStringList(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return SerdeJsonText.At(SerdeJsonText.InvalidType(SerdeJsonText.Unexpected(ref reader), "a sequence"),
                json, SerdeJsonText.ValueErrorIndex(ref reader));
        }
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                return SerdeJsonText.At(SerdeJsonText.InvalidType(SerdeJsonText.Unexpected(ref reader), "a string"),
                    json, SerdeJsonText.ValueErrorIndex(ref reader));
            }
        }
        return null;
    }

    private static string? Skip(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return null;
    }
}
