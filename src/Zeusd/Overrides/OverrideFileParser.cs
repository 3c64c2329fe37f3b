using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Parsing;
using Tomlyn.Serialization;
using Tomlyn.Syntax;
using Zeusd.Compat;
using Zeusd.GpuWrites;

namespace Zeusd.Overrides;

/// <summary>
/// Parses and validates an overrides file's TOML in the original daemon's order: TOML syntax (duplicate keys
/// included), then the shape of every table in document order (unknown tables and keys, wrong types, missing
/// <c>commands</c>), then each operation's contents in declaration order (empty <c>commands</c>, the error pattern,
/// <c>timeout_s = 0</c>, splitting, placeholders). The first problem wins.
/// </summary>
public static class OverrideFileParser
{
    private const string SpecTypeName = "struct RawOverrideSpec";
    private static readonly string[] SpecFields = ["commands", "error_pattern", "timeout_s"];

    /// <exception cref="OverrideFileException">The text is not a valid overrides file.</exception>
    public static IReadOnlyDictionary<GpuWriteOperation, OverrideSpec> Parse(string text, string sourceName)
    {
        // The syntax tree's validation rejects what the model reader lets through (a key or table defined twice).
        var document = SyntaxParser.Parse(text, sourceName, true);
        if (document.HasErrors)
        {
            var error = document.Diagnostics.First(d => d.Kind == DiagnosticMessageKind.Error);
            throw new OverrideFileException(ParseError(text, error.Span, error.Message));
        }

        var store = new TomlMetadataStore();
        TomlTable root;
        try
        {
            var context = new OverridesTomlContext(new TomlSerializerOptions
            {
                MetadataStore = store,
                DuplicateKeyHandling = TomlDuplicateKeyHandling.Error,
                SourceName = sourceName,
            });
            root = TomlSerializer.Deserialize(text, context.TomlTable) ?? new TomlTable();
        }
        catch (TomlException ex)
        {
            string message = ex.Diagnostics is { Count: > 0 } diagnostics ? diagnostics[0].Message : "invalid TOML";
            throw new OverrideFileException(SerdeTomlText.ParseError(text, ex.Line ?? 0, ex.Column ?? 0, 1, message));
        }

        var raw = new Dictionary<GpuWriteOperation, RawSpec>();
        foreach (var (key, value) in root)
        {
            var span = KeySpan(store, root, key);
            int index = Array.IndexOf(OverrideOperations.TableNames, key);
            if (index < 0)
            {
                throw new OverrideFileException(ParseError(text, span, SerdeTomlText.UnknownField(key, OverrideOperations.TableNames)));
            }
            if (value is not TomlTable table)
            {
                throw new OverrideFileException(ParseError(text, span, SerdeTomlText.InvalidType(value, SpecTypeName)));
            }
            raw[GpuWriteOperations.All[index]] = ReadSpec(text, store, table, span);
        }

        var specs = new Dictionary<GpuWriteOperation, OverrideSpec>();
        foreach (var operation in GpuWriteOperations.All)
        {
            if (raw.TryGetValue(operation, out var spec))
            {
                specs[operation] = Validate(operation, spec);
            }
        }
        return specs;
    }

    private sealed record RawSpec(List<string> Commands, string? ErrorPattern, ulong? TimeoutSeconds);

    private static RawSpec ReadSpec(string text, TomlMetadataStore store, TomlTable table, SourceSpan? tableSpan)
    {
        List<string>? commands = null;
        string? errorPattern = null;
        ulong? timeout = null;
        foreach (var (key, value) in table)
        {
            var span = KeySpan(store, table, key);
            switch (key)
            {
                case "commands":
                    if (value is not TomlArray array)
                    {
                        throw new OverrideFileException(ParseError(text, span, SerdeTomlText.InvalidType(value, "a sequence")));
                    }
                    commands = [];
                    foreach (var item in array)
                    {
                        if (item is not string command)
                        {
                            throw new OverrideFileException(ParseError(text, span, SerdeTomlText.InvalidType(item, "a string")));
                        }
                        commands.Add(command);
                    }
                    break;
                case "error_pattern":
                    errorPattern = value as string
                        ?? throw new OverrideFileException(ParseError(text, span, SerdeTomlText.InvalidType(value, "a string")));
                    break;
                case "timeout_s":
                    timeout = value switch
                    {
                        long seconds and >= 0 => (ulong)seconds,
                        long => throw new OverrideFileException(ParseError(text, span, SerdeTomlText.InvalidValue(value, "u64"))),
                        _ => throw new OverrideFileException(ParseError(text, span, SerdeTomlText.InvalidType(value, "u64"))),
                    };
                    break;
                default:
                    throw new OverrideFileException(ParseError(text, span, SerdeTomlText.UnknownField(key, SpecFields)));
            }
        }
        if (commands is null)
        {
            // Reported on the table header, brackets included.
            SourceSpan? header = tableSpan is { } s
                ? new SourceSpan(s.FileName, new TextPosition(s.Start.Offset - 1, s.Start.Line, Math.Max(0, s.Start.Column - 1)),
                    new TextPosition(s.End.Offset + 1, s.End.Line, s.End.Column + 1))
                : null;
            throw new OverrideFileException(ParseError(text, header, SerdeTomlText.MissingField("commands")));
        }
        return new RawSpec(commands, errorPattern, timeout);
    }

    private static OverrideSpec Validate(GpuWriteOperation operation, RawSpec raw)
    {
        string op = operation.WireName();
        if (raw.Commands.Count == 0)
        {
            throw new OverrideFileException($"Operation '{op}' has an empty commands array");
        }

        System.Text.RegularExpressions.Regex? pattern = null;
        if (raw.ErrorPattern is { } patternText)
        {
            pattern = ErrorPattern.TryCompile(patternText, out string? error)
                ?? throw new OverrideFileException($"Operation '{op}' has invalid error_pattern '{patternText}'", error!);
        }

        if (raw.TimeoutSeconds == 0)
        {
            throw new OverrideFileException($"Operation '{op}' has timeout_s = 0, which would kill every command immediately");
        }

        var commands = new List<string[]>(raw.Commands.Count);
        foreach (string command in raw.Commands)
        {
            var tokens = ShellWords.Split(command)
                ?? throw new OverrideFileException($"Operation '{op}' has a command that cannot be split: {command}", "missing closing quote");
            if (tokens.Count == 0)
            {
                throw new OverrideFileException($"Operation '{op}' has a command that splits to zero tokens");
            }
            foreach (string token in tokens)
            {
                if (PlaceholderSyntax.Check(operation, token) is { } error)
                {
                    throw new OverrideFileException(error);
                }
            }
            commands.Add([.. tokens]);
        }
        return new OverrideSpec(operation, commands, pattern, raw.ErrorPattern, raw.TimeoutSeconds ?? OverrideSpec.DefaultTimeoutSeconds);
    }

    private static SourceSpan? KeySpan(TomlMetadataStore store, TomlTable table, string key) =>
        store.TryGetProperties(table, out var properties) && properties is not null
            && properties.TryGetProperty(key, out var property) && property is not null
            ? property.Span
            : null;

    private static string ParseError(string text, SourceSpan? span, string message)
    {
        if (span is not { } s)
        {
            return message + "\n";
        }
        int length = s.End.Line == s.Start.Line ? s.End.Column - s.Start.Column + 1 : 1;
        return SerdeTomlText.ParseError(text, s.Start.Line + 1, s.Start.Column + 1, length, message);
    }
}
