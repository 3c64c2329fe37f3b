namespace Zeusd.Api;

/// <summary>The parsed parameters of one request, by field index of its <see cref="QuerySpec"/>.</summary>
public struct QueryValues
{
    public const int MaxFields = 4;

    private FieldArray<string?> _text;
    private FieldArray<ulong> _numbers;
    private FieldArray<bool> _present;

    public readonly bool IsPresent(int field) => _present[field];

    /// <summary>The decoded text of a field, or null when absent.</summary>
    public readonly string? Text(int field) => _text[field];

    public readonly bool Boolean(int field) => _numbers[field] != 0;

    public readonly uint UInt32(int field) => (uint)_numbers[field];

    internal void Set(int field, string text, ulong number)
    {
        _present[field] = true;
        _text[field] = text;
        _numbers[field] = number;
    }

    [System.Runtime.CompilerServices.InlineArray(MaxFields)]
    private struct FieldArray<T>
    {
        private T _element;
    }
}
