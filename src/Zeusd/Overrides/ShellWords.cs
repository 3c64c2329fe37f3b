using System.Text;

namespace Zeusd.Overrides;

/// <summary>
/// POSIX shell word splitting without a shell: quote removal (single quotes, double quotes, backslashes, line
/// continuations) and comments, and nothing else: no expansion, globbing, pipes or redirection, whose characters stay
/// literal. Also the inverse, <see cref="Join"/>, which quotes each word so that a shell would read it back unchanged.
/// </summary>
/// <remarks>
/// Hand-written because no maintained .NET library splits exactly like this (the known ones follow Windows
/// command-line rules or expand variables); the behaviour matches the original daemon's shell-words 1.1.
/// </remarks>
public static class ShellWords
{
    private enum State { Delimiter, Backslash, Unquoted, UnquotedBackslash, SingleQuoted, DoubleQuoted, DoubleQuotedBackslash, Comment }

    /// <summary>The words of <paramref name="line"/>, or null if a quote is not closed.</summary>
    public static List<string>? Split(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var state = State.Delimiter;
        foreach (char c in line)
        {
            switch (state)
            {
                case State.Delimiter:
                    state = c switch
                    {
                        '\'' => State.SingleQuoted,
                        '"' => State.DoubleQuoted,
                        '\\' => State.Backslash,
                        ' ' or '\t' or '\n' => State.Delimiter,
                        '#' => State.Comment,
                        _ => Append(word, c, State.Unquoted),
                    };
                    break;
                case State.Backslash:
                    // A backslash-newline before a word is a line continuation.
                    state = c == '\n' ? State.Delimiter : Append(word, c, State.Unquoted);
                    break;
                case State.Unquoted:
                    switch (c)
                    {
                        case '\'': state = State.SingleQuoted; break;
                        case '"': state = State.DoubleQuoted; break;
                        case '\\': state = State.UnquotedBackslash; break;
                        case ' ' or '\t' or '\n':
                            words.Add(word.ToString());
                            word.Clear();
                            state = State.Delimiter;
                            break;
                        default: word.Append(c); break;
                    }
                    break;
                case State.UnquotedBackslash:
                    state = c == '\n' ? State.Unquoted : Append(word, c, State.Unquoted);
                    break;
                case State.SingleQuoted:
                    state = c == '\'' ? State.Unquoted : Append(word, c, State.SingleQuoted);
                    break;
                case State.DoubleQuoted:
                    state = c switch
                    {
                        '"' => State.Unquoted,
                        '\\' => State.DoubleQuotedBackslash,
                        _ => Append(word, c, State.DoubleQuoted),
                    };
                    break;
                case State.DoubleQuotedBackslash:
                    // Inside double quotes a backslash escapes only $ ` " \ and newline; otherwise it stays.
                    if (c is '$' or '`' or '"' or '\\')
                    {
                        word.Append(c);
                    }
                    else if (c != '\n')
                    {
                        word.Append('\\').Append(c);
                    }
                    state = State.DoubleQuoted;
                    break;
                case State.Comment:
                    state = c == '\n' ? State.Delimiter : State.Comment;
                    break;
            }
        }
        switch (state)
        {
            case State.SingleQuoted or State.DoubleQuoted or State.DoubleQuotedBackslash:
                return null;
            case State.Backslash or State.UnquotedBackslash:
                // A trailing backslash is kept literally.
                words.Add(word.Append('\\').ToString());
                break;
            case State.Unquoted:
                words.Add(word.ToString());
                break;
        }
        return words;
    }

    /// <summary>The words joined by spaces, each quoted only if a shell would otherwise read it differently.</summary>
    public static string Join(IEnumerable<string> words) => string.Join(' ', words.Select(Quote));

    public static string Quote(string word)
    {
        if (word.Length == 0)
        {
            return "''";
        }
        bool special = false, newline = false, singleQuote = false;
        foreach (char c in word)
        {
            switch (c)
            {
                case '\n': newline = special = true; break;
                case '\'': singleQuote = special = true; break;
                // U+02DC is in the original's list (where '~' was meant); kept so commands display identically.
                case '|' or '&' or ';' or '<' or '>' or '(' or ')' or '$' or '`' or '\\' or '"' or ' ' or '\t' or '*' or '?'
                    or '[' or '#' or '\u02DC' or '=' or '%':
                    special = true;
                    break;
            }
        }
        if (!special)
        {
            return word;
        }
        if (newline && !singleQuote)
        {
            return "'" + word + "'";
        }
        return "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    private static State Append(StringBuilder word, char c, State next)
    {
        word.Append(c);
        return next;
    }
}
