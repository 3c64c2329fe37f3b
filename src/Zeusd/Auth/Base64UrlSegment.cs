using System.Buffers.Text;

namespace Zeusd.Auth;

/// <summary>
/// Decodes one segment of a compact JWT: base64url, no padding, canonical (unused trailing bits zero), no whitespace.
/// The BCL decoder is lenient about padding and whitespace, so the strict check is done here first, and its error
/// texts are the ones the original daemon's base64 crate (0.22) reports, in the same order, for
/// <c>Invalid token: Base64 error: ...</c>.
/// </summary>
internal static class Base64UrlSegment
{
    private const byte Pad = (byte)'=';

    /// <summary>Returns the decoded bytes, or null with the error text.</summary>
    public static byte[]? Decode(ReadOnlySpan<byte> encoded, out string? error)
    {
        error = Validate(encoded);
        if (error is not null)
        {
            return null;
        }
        var decoded = new byte[Base64Url.GetMaxDecodedLength(encoded.Length)];
        // Cannot fail: the input was checked to be canonical base64url above.
        int written = Base64Url.DecodeFromUtf8(encoded, decoded);
        return written == decoded.Length ? decoded : decoded[..written];
    }

    /// <summary>Null when <paramref name="encoded"/> is canonical unpadded base64url; otherwise the base64 crate's message.</summary>
    private static string? Validate(ReadOnlySpan<byte> encoded)
    {
        int remainder = encoded.Length % 4;
        // A lone trailing byte that is not even in the alphabet is reported first (base64 0.22 does this before decoding).
        if (remainder == 1 && encoded[^1] != Pad && !IsAlphabet(encoded[^1]))
        {
            return InvalidSymbol(encoded.Length - 1, encoded[^1]);
        }

        // Every quad but the last one (which may be partial) must be alphabet symbols only.
        int bodyLength = remainder == 0 ? Math.Max(0, encoded.Length - 4) : encoded.Length - remainder;
        for (int i = 0; i < bodyLength; i++)
        {
            if (!IsAlphabet(encoded[i]))
            {
                return InvalidSymbol(i, encoded[i]);
            }
        }

        // The last 1..4 bytes: padding rules first, then length, then canonical trailing bits.
        var suffix = encoded[bodyLength..];
        int symbols = 0, padding = 0, firstPadding = 0;
        int lastValue = 0;
        byte lastSymbol = 0;
        for (int i = 0; i < suffix.Length; i++)
        {
            byte b = suffix[i];
            if (b == Pad)
            {
                if (i < 2)
                {
                    return InvalidSymbol(bodyLength + i, b);
                }
                if (padding == 0)
                {
                    firstPadding = i;
                }
                padding++;
                continue;
            }
            if (padding > 0)
            {
                return InvalidSymbol(bodyLength + firstPadding, Pad);
            }
            if (!IsAlphabet(b))
            {
                return InvalidSymbol(bodyLength + i, b);
            }
            lastSymbol = b;
            lastValue = ValueOf(b);
            symbols++;
        }
        if (encoded.Length > 0 && symbols < 2)
        {
            return $"Invalid input length: {bodyLength + symbols}";
        }
        if (padding > 0)
        {
            return "Invalid padding";
        }
        // 2 symbols carry 12 bits for 1 byte (4 spare), 3 symbols 18 bits for 2 bytes (2 spare).
        int spareBits = symbols switch { 2 => 4, 3 => 2, _ => 0 };
        if ((lastValue & ((1 << spareBits) - 1)) != 0)
        {
            return $"Invalid last symbol {lastSymbol}, offset {bodyLength + symbols - 1}.";
        }
        return null;
    }

    private static string InvalidSymbol(int offset, byte symbol) => $"Invalid symbol {symbol}, offset {offset}.";

    private static bool IsAlphabet(byte b) => b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z')
        or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'_';

    private static int ValueOf(byte b) => b switch
    {
        >= (byte)'A' and <= (byte)'Z' => b - 'A',
        >= (byte)'a' and <= (byte)'z' => b - 'a' + 26,
        >= (byte)'0' and <= (byte)'9' => b - '0' + 52,
        (byte)'-' => 62,
        _ => 63,
    };
}
