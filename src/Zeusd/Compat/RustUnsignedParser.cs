namespace Zeusd.Compat;

/// <summary>
/// Parses unsigned decimal integers with Rust's <c>str::parse</c> rules and error texts, which the original daemon's
/// clients see: an optional leading <c>+</c>, ASCII digits only, no whitespace.
/// </summary>
public static class RustUnsignedParser
{
    public const string EmptyMessage = "cannot parse integer from empty string";
    public const string InvalidDigitMessage = "invalid digit found in string";
    public const string OverflowMessage = "number too large to fit in target type";

    /// <returns>null on success, else the error text.</returns>
    public static string? TryParse(ReadOnlySpan<char> text, ulong max, out ulong value)
    {
        value = 0;
        if (text.IsEmpty)
        {
            return EmptyMessage;
        }
        if (text[0] == '+')
        {
            text = text[1..];
            if (text.IsEmpty)
            {
                return InvalidDigitMessage;
            }
        }
        // Like Rust, report the first problem met scanning left to right.
        foreach (char c in text)
        {
            uint digit = (uint)(c - '0');
            if (digit > 9)
            {
                value = 0;
                return InvalidDigitMessage;
            }
            if (value > (max - digit) / 10)
            {
                value = 0;
                return OverflowMessage;
            }
            value = value * 10 + digit;
        }
        return null;
    }
}
