using System.CommandLine.Parsing;

namespace Zeusd.Cli;

/// <summary>Value parsers whose errors name the flag and list what it accepts.</summary>
public static class OptionParsers
{
    /// <summary><see cref="Choice{T}"/> for an option without a default value: absent, it is null.</summary>
    public static Func<ArgumentResult, T?> OptionalChoice<T>(string flag, params (string Name, T Value)[] choices) where T : struct
    {
        var parse = Choice(flag, choices);
        return result => parse(result);
    }

    /// <summary>The choices as help shows an option's value: <c>uds|tcp</c>.</summary>
    public static string HelpName<T>(IEnumerable<(string Name, T Value)> choices) => string.Join('|', choices.Select(c => c.Name));

    /// <summary>One of fixed, case-sensitive names (like clap's ValueEnum).</summary>
    public static Func<ArgumentResult, T> Choice<T>(string flag, params (string Name, T Value)[] choices) => result =>
    {
        string text = result.Tokens[^1].Value;
        foreach (var (name, value) in choices)
        {
            if (name == text)
            {
                return value;
            }
        }
        result.AddError($"Invalid value '{text}' for '{flag}'. Possible values: {string.Join(", ", choices.Select(c => c.Name))}.");
        return default!;
    };

    /// <summary>A whole number of at least 1.</summary>
    public static Func<ArgumentResult, int?> Positive(string flag) => result =>
    {
        string text = result.Tokens[^1].Value;
        if (int.TryParse(text, System.Globalization.NumberStyles.None, null, out int value) && value >= 1)
        {
            return value;
        }
        result.AddError($"Invalid value '{text}' for '{flag}': expected a whole number of at least 1.");
        return null;
    };

    /// <summary>
    /// A user or group id that can own a file: decimal, 0 to 4294967294. 4294967295 is (uid_t)-1, which chown reads as
    /// "leave unchanged", so accepting it would silently ignore the flag.
    /// </summary>
    public static Func<ArgumentResult, uint?> OwnerId(string flag, string what) => result =>
    {
        string text = result.Tokens[^1].Value;
        if (uint.TryParse(text, System.Globalization.NumberStyles.None, null, out uint value) && value != uint.MaxValue)
        {
            return value;
        }
        result.AddError($"Invalid value '{text}' for '{flag}': expected a {what} id from 0 to {uint.MaxValue - 1}" +
            (value == uint.MaxValue ? $" ({uint.MaxValue} is -1, which chown takes as \"leave unchanged\")." : "."));
        return null;
    };
}
