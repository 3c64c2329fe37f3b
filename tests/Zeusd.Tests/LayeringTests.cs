using System.Reflection;
using System.Text.RegularExpressions;

namespace Zeusd.Tests;

/// <summary>The folder layering docs/architecture.md promises: each folder imports only folders below it.</summary>
public sealed partial class LayeringTests
{
    /// <summary>Top to bottom, as docs/architecture.md lists them.</summary>
    private static readonly string[] Layers =
        ["Cli", "Hosting", "Metrics", "Streaming", "Restore", "Api", "Overrides", "GpuWrites", "Auth", "Policy", "Transports", "FileSafety", "Devices", "Configuration", "Compat", "Interop", "Logging", "Common"];

    private static string SourceDir => typeof(LayeringTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "DaemonSourceDir").Value!;

    public static TheoryData<string> Folders() => [.. Layers];

    [Theory]
    [MemberData(nameof(Folders))]
    public void Usings_OfEachFolder_OnlyNameFoldersBelowIt(string folder)
    {
        int layer = Array.IndexOf(Layers, folder);
        var violations = new List<string>();
        foreach (string file in Directory.EnumerateFiles(Path.Combine(SourceDir, folder), "*.cs", SearchOption.AllDirectories))
        {
            foreach (Match use in ZeusdUsing().Matches(File.ReadAllText(file)))
            {
                string target = use.Groups[1].Value;
                int targetLayer = Array.IndexOf(Layers, target);
                if (target != folder && targetLayer <= layer)
                {
                    violations.Add($"{Path.GetRelativePath(SourceDir, file)} imports Zeusd.{target}");
                }
            }
        }
        Assert.Empty(violations);
    }

    [Fact]
    public void Layers_CoverEveryFolder()
    {
        var folders = Directory.GetDirectories(SourceDir).Select(Path.GetFileName)
            .Where(name => name is not ("bin" or "obj" or "Properties"));

        Assert.Equal(Layers.Order(), folders.Order());
    }

    [GeneratedRegex(@"^using (?:\w+ = )?Zeusd\.(\w+)", RegexOptions.Multiline)]
    private static partial Regex ZeusdUsing();
}
