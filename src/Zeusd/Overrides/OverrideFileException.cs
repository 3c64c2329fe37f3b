namespace Zeusd.Overrides;

/// <summary>
/// An overrides file's content is invalid. <see cref="Causes"/> is the chain of reasons, outermost first, as the
/// original daemon lists them under <c>Caused by:</c>.
/// </summary>
public sealed class OverrideFileException(params string[] causes) : Exception(causes[0])
{
    public IReadOnlyList<string> Causes { get; } = causes;
}
