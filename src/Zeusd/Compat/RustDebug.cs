using System.Globalization;
using System.Text;

namespace Zeusd.Compat;

/// <summary>How Rust formats values inside the original daemon's messages (<c>{:?}</c> of strings, f64 display).</summary>
public static class RustDebug
{
    /// <summary>Rust's <c>{:?}</c> of a string: quoted; quotes, backslashes and control characters escaped.</summary>
    public static string String(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\0': builder.Append("\\0"); break;
                case < ' ' or (>= '\u007f' and <= '\u009f'):
                    builder.Append("\\u{").Append(((int)c).ToString("x", CultureInfo.InvariantCulture)).Append('}');
                    break;
                default: builder.Append(c); break;
            }
        }
        return builder.Append('"').ToString();
    }

    /// <summary>Rust's display of an f64 as serde shows it: shortest round-trip digits, never an exponent, always a point.</summary>
    public static string Float(double value)
    {
        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        int e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            text = ExpandExponent(text[..e], int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
        }
        return text.Contains('.') ? text : text + ".0";
    }

    private static string ExpandExponent(string mantissa, int exponent)
    {
        bool negative = mantissa.StartsWith('-');
        string unsigned = negative ? mantissa[1..] : mantissa;
        int point = unsigned.IndexOf('.');
        string digits = point < 0 ? unsigned : unsigned.Remove(point, 1);
        int integerDigits = (point < 0 ? unsigned.Length : point) + exponent;
        string result = integerDigits <= 0
            ? "0." + new string('0', -integerDigits) + digits
            : integerDigits >= digits.Length
                ? digits + new string('0', integerDigits - digits.Length)
                : digits[..integerDigits] + "." + digits[integerDigits..];
        return negative ? "-" + result : result;
    }
}
