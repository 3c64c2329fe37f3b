using System.Globalization;

namespace Zeusd.Interop.AmdSmi;

/// <summary>
/// Where libamd_smi is looked for, in the original daemon's order:
/// <list type="number">
/// <item><c>AMDSMI_LIB_DIR</c>, when set (even to an empty string): that directory only.</item>
/// <item>else <c>ROCM_PATH</c>, when set: <c>$ROCM_PATH/lib</c> only.</item>
/// <item>else <c>/opt/rocm/lib</c>, then the newest <c>/opt/rocm-V/lib</c>, then the bare file names (the dynamic loader's search).</item>
/// </list>
/// In each directory <c>libamd_smi.so.26</c>, <c>.25</c>, <c>.24</c>. The environment and the <c>/opt</c> root are
/// injectable so tests can exercise rule 3 without touching the real <c>/opt</c>.
/// </summary>
internal sealed class AmdSmiLibrarySearch(Func<string, string?> environment, string optRoot)
{
    public const string LibDirVariable = "AMDSMI_LIB_DIR";
    public const string RocmPathVariable = "ROCM_PATH";

    public static AmdSmiLibrarySearch Default { get; } = new(Environment.GetEnvironmentVariable, "/opt");

    /// <summary>
    /// Every candidate, in order. Duplicates are kept (<c>/opt/rocm</c> is usually a link to a <c>/opt/rocm-V</c>),
    /// and empty variables give what joining an empty directory gives: bare names for <c>AMDSMI_LIB_DIR</c>,
    /// paths relative to the working directory (<c>lib/…</c>) for <c>ROCM_PATH</c>, as in the original daemon.
    /// </summary>
    public IReadOnlyList<AmdSmiCandidate> Candidates()
    {
        var roots = new List<string?>();
        if (environment(LibDirVariable) is { } libDir)
        {
            roots.Add(libDir);
        }
        else if (environment(RocmPathVariable) is { } rocmPath)
        {
            roots.Add(Path.Combine(rocmPath, "lib"));
        }
        else
        {
            roots.Add(Path.Combine(optRoot, "rocm", "lib"));
            if (NewestVersionedRocm(optRoot) is { } newest)
            {
                roots.Add(Path.Combine(newest, "lib"));
            }
            roots.Add(null);
        }
        var candidates = new List<AmdSmiCandidate>();
        foreach (string? root in roots)
        {
            foreach (var layout in AmdSmiAbiLayout.SearchOrder)
            {
                candidates.Add(new AmdSmiCandidate(root is null ? layout.FileName : Path.Combine(root, layout.FileName), layout));
            }
        }
        return candidates;
    }

    /// <summary>
    /// The <c>rocm-V</c> directory of <paramref name="root"/> with the highest version: <c>V</c> is one or more
    /// dot-separated unsigned 32-bit numbers, compared numerically component by component, a shorter prefix being
    /// smaller (<c>7.2 &lt; 7.2.0</c>). Other names (<c>rocm-custom</c>, <c>rocm-7.2.0-rc1</c>) are ignored; equal
    /// versions (<c>rocm-7.2.0</c>, <c>rocm-07.2.0</c>) are broken by the greater name, ordinally, so the choice
    /// never depends on directory order. An unreadable root gives none.
    /// </summary>
    public static string? NewestVersionedRocm(string root)
    {
        string? best = null;
        uint[]? bestVersion = null;
        IEnumerable<string> entries;
        try
        {
            entries = Directory.EnumerateFileSystemEntries(root).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        foreach (string entry in entries)
        {
            string name = Path.GetFileName(entry);
            if (ParseRocmVersion(name) is not { } version || !Directory.Exists(entry))
            {
                continue;
            }
            int order = bestVersion is null ? 1 : Compare(version, bestVersion);
            if (order > 0 || (order == 0 && string.CompareOrdinal(name, Path.GetFileName(best)) > 0))
            {
                best = entry;
                bestVersion = version;
            }
        }
        return best;
    }

    /// <summary>The version of a <c>rocm-V</c> name, or null when the name is not one.</summary>
    public static uint[]? ParseRocmVersion(string name)
    {
        const string Prefix = "rocm-";
        if (!name.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        string[] parts = name[Prefix.Length..].Split('.');
        var version = new uint[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            // Rust's u32::from_str: an optional '+', then one or more ASCII digits, no overflow.
            ReadOnlySpan<char> digits = parts[i].StartsWith('+') ? parts[i].AsSpan(1) : parts[i];
            if (digits.IsEmpty || digits.ContainsAnyExceptInRange('0', '9')
                || !uint.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out version[i]))
            {
                return null;
            }
        }
        return version;
    }

    private static int Compare(uint[] a, uint[] b)
    {
        for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            if (a[i] != b[i])
            {
                return a[i].CompareTo(b[i]);
            }
        }
        return a.Length.CompareTo(b.Length);
    }
}
