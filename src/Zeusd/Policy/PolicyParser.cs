using Tomlyn;
using Tomlyn.Model;
using Zeusd.Configuration;
using Zeusd.Interop.Libc;

namespace Zeusd.Policy;

/// <summary>
/// Reads a policy's TOML text into its grants, through Tomlyn's untyped model (no reflection mapping). Strict: unknown
/// keys, wrong types, unknown user or group names, grants that match nobody or allow nothing, and inverted ranges are
/// errors naming the grant and the key.
/// </summary>
internal static class PolicyParser
{
    private static readonly HashSet<string> GrantKeys =
    [
        "name", "users", "groups", "subjects", "scopes", "gpus",
        "power_limit_mw", "gpu_locked_clocks_mhz", "mem_locked_clocks_mhz", "persistence_mode",
    ];

    private static readonly string ScopeNames = string.Join(", ", ApiGroups.All.Select(g => g.WireName()));

    /// <summary>Parses and checks <paramref name="text"/>; <paramref name="source"/> names it in parse errors.</summary>
    public static IReadOnlyList<Grant> Parse(string text, string source)
    {
        TomlTable document;
        try
        {
            // The strict syntax pass rejects what TOML forbids but the model converter lets through (a repeated key,
            // a table defined twice: "last wins" there), so a policy means what every reader of it thinks it means.
            Tomlyn.Parsing.SyntaxParser.ParseStrict(text, source);
            document = TomlSerializer.Deserialize(text, PolicyTomlContext.Default.TomlTable)
                ?? throw new PolicyException("the file is empty");
        }
        catch (TomlException ex)
        {
            throw new PolicyException($"not valid TOML: {Describe(ex)}", ex);
        }

        foreach (var key in document.Keys)
        {
            if (key != "grant")
            {
                throw new PolicyException($"unknown top-level key '{key}' (a policy has only [[grant]] tables)");
            }
        }
        if (!document.TryGetValue("grant", out object? value))
        {
            throw new PolicyException("no [[grant]]: the policy would allow nothing to anyone but root");
        }
        IEnumerable<object?> tables = value switch
        {
            TomlTableArray array => array,
            TomlArray array => array,
            _ => throw new PolicyException("'grant' must be an array of tables ([[grant]])"),
        };

        var grants = new List<Grant>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        int index = 0;
        foreach (var item in tables)
        {
            index++;
            if (item is not TomlTable table)
            {
                throw new PolicyException($"grant #{index} is not a table");
            }
            var grant = ParseGrant(table, index);
            if (!names.Add(grant.Name))
            {
                throw new PolicyException($"grant '{grant.Name}': key 'name': another grant has the same name");
            }
            grants.Add(grant);
        }
        if (grants.Count == 0)
        {
            throw new PolicyException("no [[grant]]: the policy would allow nothing to anyone but root");
        }
        return grants;
    }

    private static Grant ParseGrant(TomlTable table, int index)
    {
        string label = $"grant #{index}";
        if (!table.TryGetValue("name", out object? nameValue))
        {
            throw new PolicyException($"{label}: key 'name' is missing (grants are named in logs, whoami and policy check)");
        }
        if (nameValue is not string { Length: > 0 } name || name.Any(char.IsControl))
        {
            throw new PolicyException($"{label}: key 'name' must be a non-empty string without control characters");
        }
        var errors = new GrantErrors($"grant '{name}'");
        foreach (var key in table.Keys)
        {
            if (!GrantKeys.Contains(key))
            {
                throw errors.At(key, $"unknown key (known: {string.Join(", ", GrantKeys)})");
            }
        }

        var who = new List<string>();
        bool anyCaller = false;
        var uids = new HashSet<uint>();
        foreach (var user in Entries(table, "users", errors))
        {
            switch (user)
            {
                case "*":
                    anyCaller = true;
                    who.Add("any caller");
                    break;
                case string userName:
                    uint uid = UserDatabase.UidOf(userName) ?? throw errors.At("users", $"unknown user '{userName}'");
                    uids.Add(uid);
                    who.Add($"user {userName}({uid})");
                    break;
                default:
                    uint numeric = Id(user, "users", "a user name, a uid or \"*\"", errors);
                    uids.Add(numeric);
                    who.Add($"uid {numeric}");
                    break;
            }
        }
        var gids = new HashSet<uint>();
        foreach (var group in Entries(table, "groups", errors))
        {
            if (group is string groupName)
            {
                uint gid = UserDatabase.GidOf(groupName) ?? throw errors.At("groups", $"unknown group '{groupName}'");
                gids.Add(gid);
                who.Add($"group {groupName}({gid})");
            }
            else
            {
                uint numeric = Id(group, "groups", "a group name or a gid", errors);
                gids.Add(numeric);
                who.Add($"gid {numeric}");
            }
        }
        var subjects = new HashSet<string>(StringComparer.Ordinal);
        foreach (var subject in Entries(table, "subjects", errors))
        {
            if (subject is not string { Length: > 0 } sub || sub == "*")
            {
                throw errors.At("subjects", "entries must be token subjects (non-empty strings; for any caller use users = [\"*\"])");
            }
            subjects.Add(sub);
            who.Add($"token {sub}");
        }
        if (!anyCaller && uids.Count == 0 && gids.Count == 0 && subjects.Count == 0)
        {
            throw errors.At("users", "the grant names no users, groups or subjects, so it matches nobody");
        }

        var scopes = new List<ApiGroup>();
        if (!table.ContainsKey("scopes"))
        {
            throw errors.At("scopes", $"missing: a grant must allow at least one of {ScopeNames}");
        }
        foreach (var scope in Entries(table, "scopes", errors))
        {
            if (scope is not string scopeName || !ApiGroups.TryParse(scopeName, out var group))
            {
                throw errors.At("scopes", $"unknown scope {Show(scope)} (known: {ScopeNames})");
            }
            if (!scopes.Contains(group.Value))
            {
                scopes.Add(group.Value);
            }
        }

        int[]? gpus = null;
        if (table.ContainsKey("gpus"))
        {
            var ids = new SortedSet<int>();
            foreach (var gpu in Entries(table, "gpus", errors))
            {
                ids.Add((int)Math.Min(Id(gpu, "gpus", "a GPU index", errors), int.MaxValue));
            }
            gpus = [.. ids];
        }
        var power = Range(table, "power_limit_mw", errors);
        var gpuClocks = Range(table, "gpu_locked_clocks_mhz", errors);
        var memClocks = Range(table, "mem_locked_clocks_mhz", errors);
        bool persistence = true;
        if (table.TryGetValue("persistence_mode", out object? persistenceValue))
        {
            persistence = persistenceValue as bool? ?? throw errors.At("persistence_mode", $"expected true or false, found {Show(persistenceValue)}");
        }
        if (!scopes.Contains(ApiGroup.GpuControl))
        {
            foreach (var controlKey in new[] { "gpus", "power_limit_mw", "gpu_locked_clocks_mhz", "mem_locked_clocks_mhz", "persistence_mode" })
            {
                if (table.ContainsKey(controlKey))
                {
                    throw errors.At(controlKey, "only applies to gpu-control, which the grant's scopes do not include");
                }
            }
        }

        return new Grant
        {
            Name = name,
            AnyCaller = anyCaller,
            Uids = uids,
            Gids = gids,
            Subjects = subjects,
            Scopes = scopes,
            Gpus = gpus,
            PowerLimitMw = power,
            GpuLockedClocksMhz = gpuClocks,
            MemLockedClocksMhz = memClocks,
            PersistenceMode = persistence,
            Who = string.Join(", ", who),
        };
    }

    /// <summary>The elements of an optional array key; an empty array is an error (omit the key instead).</summary>
    private static IEnumerable<object?> Entries(TomlTable table, string key, GrantErrors errors)
    {
        if (!table.TryGetValue(key, out object? value))
        {
            return [];
        }
        if (value is not TomlArray array)
        {
            throw errors.At(key, $"expected an array, found {Show(value)}");
        }
        if (array.Count == 0)
        {
            throw errors.At(key, "the array is empty; omit the key or list at least one entry");
        }
        return array;
    }

    /// <summary>A non-negative integer that fits 32 bits (uids, gids, GPU indices, values).</summary>
    private static uint Id(object? value, string key, string expected, GrantErrors errors) =>
        value is long number && number is >= 0 and <= uint.MaxValue
            ? (uint)number
            : throw errors.At(key, $"expected {expected}, found {Show(value)}");

    /// <summary><c>{ min = .., max = .. }</c>, either bound optional (then 0 or the largest u32), inclusive.</summary>
    private static ValueRange? Range(TomlTable table, string key, GrantErrors errors)
    {
        if (!table.TryGetValue(key, out object? value))
        {
            return null;
        }
        if (value is not TomlTable range)
        {
            throw errors.At(key, $"expected a table {{ min = .., max = .. }}, found {Show(value)}");
        }
        foreach (var bound in range.Keys)
        {
            if (bound is not ("min" or "max"))
            {
                throw errors.At(key, $"unknown key '{bound}' (known: min, max)");
            }
        }
        if (range.Count == 0)
        {
            throw errors.At(key, "the range is empty; give min, max or both");
        }
        uint min = range.TryGetValue("min", out object? minValue) ? Id(minValue, key + ".min", "a non-negative integer", errors) : 0;
        uint max = range.TryGetValue("max", out object? maxValue) ? Id(maxValue, key + ".max", "a non-negative integer", errors) : uint.MaxValue;
        if (min > max)
        {
            throw errors.At(key, $"min {min} is greater than max {max}");
        }
        return new ValueRange(min, max);
    }

    /// <summary>The innermost TOML error (the model converter wraps the parser's) as "line L, column C: what".</summary>
    private static string Describe(TomlException ex)
    {
        var innermost = ex;
        for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is TomlException toml)
            {
                innermost = toml;
            }
        }
        string message = innermost.Message;
        int marker = message.LastIndexOf(" : error : ", StringComparison.Ordinal);
        if (marker >= 0)
        {
            message = message[(marker + " : error : ".Length)..];
        }
        return innermost.Line > 0 ? $"line {innermost.Line}, column {innermost.Column}: {message}" : message;
    }

    private static string Show(object? value) => value switch
    {
        null => "nothing",
        string s => $"the string \"{s}\"",
        long n => $"the integer {n}",
        bool b => b ? "true" : "false",
        double d => $"the float {d}",
        TomlArray => "an array",
        TomlTable => "a table",
        _ => $"a {value.GetType().Name}",
    };

    private sealed class GrantErrors(string grant)
    {
        public PolicyException At(string key, string problem) => new($"{grant}: key '{key}': {problem}");
    }
}
