using System.Text.RegularExpressions;

namespace Zeusd.Overrides;

/// <summary>
/// Compiles an <c>error_pattern</c> written in Rust <c>regex</c> syntax with .NET's linear-time engine
/// (<see cref="RegexOptions.NonBacktracking"/>, like Rust's: no backreferences or lookaround, no catastrophic
/// backtracking on hostile output).
/// </summary>
/// <remarks>
/// The common syntax (classes, <c>\d \w \s \b</c>, <c>(?i)</c> and the other inline flags, repetition, alternation,
/// <c>\p{L}</c>) means the same in both. Rust's <c>(?P&lt;name&gt;…)</c> groups are translated to .NET's
/// <c>(?&lt;name&gt;…)</c>. What .NET cannot compile (Rust-only flags such as <c>(?U)</c>, script names such as
/// <c>\p{Greek}</c>) is rejected at load time. Known silent differences: POSIX classes (<c>[[:alpha:]]</c>) and
/// class set operations (<c>&amp;&amp;</c>, <c>--</c>) are literal characters in .NET, and <c>$</c> also matches
/// before a final newline.
/// </remarks>
public static class ErrorPattern
{
    /// <summary>The compiled pattern, or null and the reason .NET rejected it.</summary>
    public static Regex? TryCompile(string pattern, out string? error)
    {
        string translated = pattern.Replace("(?P<", "(?<", StringComparison.Ordinal);
        try
        {
            error = null;
            return new Regex(translated, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
        }
        catch (RegexParseException ex)
        {
            error = $"regex parse error: {ex.Message}";
        }
        catch (NotSupportedException ex)
        {
            // Backreferences, lookaround, atomic and conditional groups: the linear-time engine has none, nor has Rust's.
            error = $"regex parse error: {ex.Message}";
        }
        catch (ArgumentException)
        {
            error = "regex parse error: invalid pattern";
        }
        return null;
    }
}
