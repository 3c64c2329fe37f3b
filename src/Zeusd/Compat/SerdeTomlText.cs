using System.Globalization;
using System.Text;

namespace Zeusd.Compat;

/// <summary>
/// Deserialization errors worded as the original daemon's serde + toml 0.8 stack words them: serde's messages
/// (<c>unknown field `x`, expected one of `a`, `b`</c>, <c>missing field `commands`</c>, <c>invalid type: integer `5`,
/// expected a string</c>) inside toml's report (<c>TOML parse error at line L, column C</c>, the source line and a
/// caret marker under the offending span).
/// </summary>
public static class SerdeTomlText
{
    public static string UnknownField(string field, IReadOnlyList<string> expected) =>
        $"unknown field `{field}`, {SerdeText.Expected(expected)}";

    public static string MissingField(string field) => $"missing field `{field}`";

    /// <summary>A value of the wrong kind; <paramref name="expected"/> as serde names it (<c>a string</c>, <c>u64</c>).</summary>
    public static string InvalidType(object? value, string expected) => $"invalid type: {Unexpected(value)}, expected {expected}";

    /// <summary>A value of the right kind but out of range (a negative <c>u64</c>).</summary>
    public static string InvalidValue(object? value, string expected) => $"invalid value: {Unexpected(value)}, expected {expected}";

    /// <summary>serde's <c>Unexpected</c> display of a TOML value (Tomlyn model types: long, double, bool, string, table, array).</summary>
    public static string Unexpected(object? value) => value switch
    {
        bool b => $"boolean `{(b ? "true" : "false")}`",
        long l => $"integer `{l.ToString(CultureInfo.InvariantCulture)}`",
        double d => $"floating point `{(double.IsNaN(d) ? "NaN" : RustDebug.Float(d))}`",
        string s => $"string {RustDebug.String(s)}",
        System.Collections.IDictionary or Tomlyn.Model.TomlTable => "map",
        System.Collections.IEnumerable => "sequence",
        // TOML datetimes reach serde as a one-entry map.
        _ => "map",
    };

    /// <summary>
    /// toml's error report: position (1-based line, column in characters), the source line, carets under the span, then
    /// the message and a newline.
    /// </summary>
    public static string ParseError(string source, int line, int column, int length, string message)
    {
        var text = new StringBuilder();
        string[] lines = source.Split('\n');
        if (line >= 1 && line <= lines.Length)
        {
            string content = lines[line - 1];
            string gutter = new(' ', line.ToString(CultureInfo.InvariantCulture).Length + 1);
            // The marker may reach one past the end of the line, never further; at least one caret is shown.
            int carets = Math.Max(1, Math.Min(length, content.Length - (column - 1)));
            text.Append(CultureInfo.InvariantCulture, $"TOML parse error at line {line}, column {column}\n");
            text.Append(gutter).Append("|\n");
            text.Append(CultureInfo.InvariantCulture, $"{line} | {content}\n");
            text.Append(gutter).Append('|').Append(' ', column).Append('^', carets).Append('\n');
        }
        return text.Append(message).Append('\n').ToString();
    }
}
