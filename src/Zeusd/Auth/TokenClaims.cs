using System.Globalization;
using System.Text.Json;
using Zeusd.Configuration;
using Zeusd.Compat;

namespace Zeusd.Auth;

/// <summary>
/// The claims zeusd reads from a token (contract §6.2): <c>sub</c> (string, required), <c>scopes</c> (array of API group
/// names, required; an unknown name invalidates the token), <c>exp</c> (unsigned integer seconds, optional; null means
/// absent) and whether an <c>aud</c> is present (which the daemon rejects). Other claims are ignored, as in the
/// original; unlike the original, a repeated claim of any name is rejected.
/// </summary>
internal sealed record TokenClaims(string Subject, ApiGroup[] Scopes, ulong? ExpiresAt, bool HasAudience)
{
    private static readonly string[] ScopeNames = [.. ApiGroups.All.Select(g => g.WireName())];

    /// <summary>Returns null and the claims, or the JSON error text (serde's wording, for <c>JSON error: ...</c>).</summary>
    public static string? Read(ReadOnlySpan<byte> json, out TokenClaims? claims) =>
        SerdeJsonText.Guard<TokenClaims>(json, ReadObject, out claims);

    private static string? ReadObject(ReadOnlySpan<byte> json, out TokenClaims? claims)
    {
        claims = null;
        var reader = new Utf8JsonReader(json);
        if (SerdeJsonText.ReadObjectStart(ref reader, json, "struct Claims") is { } notAnObject)
        {
            return notAnObject;
        }

        var read = default(ClaimValues);
        if (SerdeJsonText.ReadProperties(ref reader, json, ref read, ReadClaim) is { } error)
        {
            return error;
        }
        int end = (int)reader.BytesConsumed;
        if (read.Subject is not { } subject)
        {
            return SerdeJsonText.At(SerdeJsonText.MissingField("sub"), json, end);
        }
        if (read.Scopes is not { } scopes)
        {
            return SerdeJsonText.At(SerdeJsonText.MissingField("scopes"), json, end);
        }
        if (SerdeJsonText.Trailing(json, end) is { } trailing)
        {
            return trailing;
        }
        claims = new TokenClaims(subject, scopes, read.ExpiresAt, read.HasAudience);
        return null;
    }

    private static string? ReadClaim(string name, ref Utf8JsonReader reader, ReadOnlySpan<byte> json, ref ClaimValues read)
    {
        switch (name)
        {
            case "sub":
                return ReadSubject(ref reader, json, out read.Subject);
            case "scopes":
                return ReadScopes(ref reader, json, out read.Scopes);
            case "exp":
                return ReadExpiry(ref reader, json, out read.ExpiresAt);
            case "aud":
                // As the original: a null audience counts as absent; any other value is an audience.
                read.HasAudience = reader.TokenType != JsonTokenType.Null;
                reader.Skip();
                return null;
            default:
                reader.Skip();
                return null;
        }
    }

    /// <summary>The claims read so far.</summary>
    private struct ClaimValues
    {
        public string? Subject;
        public ApiGroup[]? Scopes;
        public ulong? ExpiresAt;
        public bool HasAudience;
    }

    private static string? ReadSubject(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, out string? subject)
    {
        subject = null;
        if (reader.TokenType != JsonTokenType.String)
        {
            return SerdeJsonText.At(SerdeJsonText.InvalidType(SerdeJsonText.Unexpected(ref reader), "a string"),
                json, SerdeJsonText.ValueErrorIndex(ref reader));
        }
        subject = reader.GetString()!;
        return null;
    }

    private static string? ReadScopes(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, out ApiGroup[]? scopes)
    {
        scopes = null;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return SerdeJsonText.At(SerdeJsonText.InvalidType(SerdeJsonText.Unexpected(ref reader), "a sequence"),
                json, SerdeJsonText.ValueErrorIndex(ref reader));
        }
        var list = new List<ApiGroup>(3);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                return SerdeJsonText.At("expected value", json, reader.TokenStartIndex + 1);
            }
            string name = reader.GetString()!;
            if (!ApiGroups.TryParse(name, out var group))
            {
                return SerdeJsonText.At(SerdeJsonText.UnknownVariant(name, ScopeNames), json, AfterSequenceElement(json, (int)reader.BytesConsumed));
            }
            list.Add(group.Value);
        }
        scopes = [.. list];
        return null;
    }

    /// <summary>
    /// Where serde reports a bad array element: it has already read on to the closing bracket, or past the comma and
    /// any whitespace after it.
    /// </summary>
    private static int AfterSequenceElement(ReadOnlySpan<byte> json, int index)
    {
        index = SerdeJsonText.SkipWhitespace(json, index);
        if (index < json.Length && json[index] == (byte)']')
        {
            return index + 1;
        }
        if (index < json.Length && json[index] == (byte)',')
        {
            return SerdeJsonText.SkipWhitespace(json, index + 1);
        }
        return index;
    }

    /// <summary><c>exp</c> as serde reads an <c>Option&lt;usize&gt;</c>: null or a non-negative integer that fits 64 bits.</summary>
    private static string? ReadExpiry(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, out ulong? expiresAt)
    {
        expiresAt = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType == JsonTokenType.Number)
        {
            var raw = reader.ValueSpan;
            bool isInteger = raw.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0;
            if (isInteger && ulong.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value))
            {
                expiresAt = value;
                return null;
            }
            if (isInteger && raw[0] == (byte)'-'
                && long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long negative) && negative != 0)
            {
                return SerdeJsonText.At($"invalid value: integer `{negative}`, expected usize", json, reader.BytesConsumed);
            }
        }
        return SerdeJsonText.At(SerdeJsonText.InvalidType(SerdeJsonText.Unexpected(ref reader), "usize"),
            json, SerdeJsonText.ValueErrorIndex(ref reader));
    }
}
