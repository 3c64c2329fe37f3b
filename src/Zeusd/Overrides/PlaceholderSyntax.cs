using Zeusd.GpuWrites;

namespace Zeusd.Overrides;

/// <summary>
/// Load-time check of the placeholders in one argument: each <c>{name}</c> has a non-empty name without <c>{</c>,
/// every brace belongs to one, and the name is allowed for the operation.
/// </summary>
public static class PlaceholderSyntax
{
    /// <summary>Null if <paramref name="token"/> is valid for <paramref name="operation"/>, else the error text.</summary>
    public static string? Check(GpuWriteOperation operation, string token)
    {
        string op = operation.WireName();
        int index = 0;
        while (index < token.Length)
        {
            char c = token[index];
            if (c == '}')
            {
                return $"Operation '{op}' has an invalid placeholder in token '{token}'";
            }
            if (c != '{')
            {
                index++;
                continue;
            }
            int nameStart = index + 1;
            int end = token.IndexOfAny(['{', '}'], nameStart);
            if (end < 0 || token[end] != '}' || end == nameStart)
            {
                return $"Operation '{op}' has an invalid placeholder in token '{token}'";
            }
            string name = token[nameStart..end];
            if (!operation.AllowedPlaceholders().Contains(name))
            {
                return $"Operation '{op}' has unknown placeholder '{{{name}}}' in token '{token}'";
            }
            index = end + 1;
        }
        return null;
    }
}
