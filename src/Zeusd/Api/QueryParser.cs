using System.Buffers;
using System.Text;
using Zeusd.Compat;

namespace Zeusd.Api;

/// <summary>
/// Strict query-string parsing with the semantics and error texts of the original daemon (serde_urlencoded into a
/// struct with <c>deny_unknown_fields</c>): keys are handled left to right, so an unknown or duplicate key or a bad value
/// is reported where it stands, and missing required fields after that, in declaration order.
/// Hand-written because ASP.NET's query binding is lenient in exactly the ways clients rely on us not to be.
/// </summary>
public static class QueryParser
{
    public const string ErrorPrefix = "Query deserialize error: ";

    /// <returns>null on success, else the message (without <see cref="ErrorPrefix"/>).</returns>
    public static string? TryParse(QuerySpec spec, ReadOnlySpan<char> query, out QueryValues values)
    {
        values = default;
        if (!query.IsEmpty && query[0] == '?')
        {
            query = query[1..];
        }
        while (!query.IsEmpty)
        {
            int amp = query.IndexOf('&');
            var pair = amp < 0 ? query : query[..amp];
            query = amp < 0 ? [] : query[(amp + 1)..];
            if (pair.IsEmpty)
            {
                continue;
            }
            int eq = pair.IndexOf('=');
            var rawKey = eq < 0 ? pair : pair[..eq];
            var rawValue = eq < 0 ? [] : pair[(eq + 1)..];

            string key = Decode(rawKey);
            int field = spec.IndexOf(key);
            if (field < 0)
            {
                return $"unknown field `{key}`, {spec.ExpectedText}";
            }
            if (values.IsPresent(field))
            {
                return $"duplicate field `{key}`";
            }
            string value = Decode(rawValue);
            ulong number = 0;
            switch (spec.Kinds[field])
            {
                case QueryFieldKind.Boolean:
                    if (value == "true")
                    {
                        number = 1;
                    }
                    else if (value != "false")
                    {
                        return "provided string was not `true` or `false`";
                    }
                    break;
                case QueryFieldKind.UInt32:
                    if (RustUnsignedParser.TryParse(value, uint.MaxValue, out number) is { } error)
                    {
                        return error;
                    }
                    break;
            }
            values.Set(field, value, number);
        }
        for (int i = 0; i < spec.Names.Length; i++)
        {
            if (spec.Required[i] && !values.IsPresent(i))
            {
                return $"missing field `{spec.Names[i]}`";
            }
        }
        return null;
    }

    /// <summary>
    /// application/x-www-form-urlencoded decoding as the WHATWG URL standard (and Rust's form_urlencoded) do it:
    /// <c>+</c> is a space, <c>%XX</c> a byte, a malformed escape stays literal, and invalid UTF-8 becomes U+FFFD.
    /// </summary>
    public static string Decode(ReadOnlySpan<char> raw)
    {
        if (raw.IndexOfAny('%', '+') < 0)
        {
            return raw.ToString();
        }
        byte[] rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(raw.Length));
        try
        {
            int length = 0;
            for (int i = 0; i < raw.Length; i++)
            {
                char c = raw[i];
                if (c == '+')
                {
                    rented[length++] = (byte)' ';
                }
                else if (c == '%' && i + 2 < raw.Length && IsHex(raw[i + 1]) && IsHex(raw[i + 2]))
                {
                    rented[length++] = (byte)(HexValue(raw[i + 1]) << 4 | HexValue(raw[i + 2]));
                    i += 2;
                }
                else if (c < 0x80)
                {
                    rented[length++] = (byte)c;
                }
                else
                {
                    length += Encoding.UTF8.GetBytes(raw.Slice(i, char.IsHighSurrogate(c) && i + 1 < raw.Length ? 2 : 1), rented.AsSpan(length));
                    if (char.IsHighSurrogate(c) && i + 1 < raw.Length)
                    {
                        i++;
                    }
                }
            }
            return Encoding.UTF8.GetString(rented, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
