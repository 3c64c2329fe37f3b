using System.Text;

namespace Zeusd.Compat;

/// <summary>
/// An error with its causes as the original daemon prints it after <c>Error: </c> (anyhow's <c>{:?}</c>): the message,
/// then <c>Caused by:</c> with each cause indented by four spaces, or numbered <c>    0: </c> when there are several.
/// </summary>
public static class AnyhowErrorText
{
    public static string Format(string message, params string[] causes)
    {
        var text = new StringBuilder(message);
        if (causes.Length == 0)
        {
            return text.ToString();
        }
        text.Append("\n\nCaused by:");
        bool numbered = causes.Length > 1;
        for (int n = 0; n < causes.Length; n++)
        {
            text.Append('\n');
            string[] lines = causes[n].Split('\n');
            text.Append(numbered ? $"{n,5}: " : "    ").Append(lines[0]);
            // Continuation lines keep the first line's indentation; a trailing newline leaves an indented empty line.
            foreach (string line in lines.AsSpan(1))
            {
                text.Append('\n').Append(numbered ? "       " : "    ").Append(line);
            }
        }
        return text.ToString();
    }
}
