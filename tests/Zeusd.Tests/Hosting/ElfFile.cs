using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Zeusd.Tests.Hosting;

/// <summary>An executable's ELF header and dynamic section, as binutils' <c>readelf</c> reports them.</summary>
public static partial class ElfFile
{
    public const string MachineX64 = "Advanced Micro Devices X86-64";
    public const string MachineArm64 = "AArch64";

    /// <summary>The header's Machine field.</summary>
    public static string Machine(string path) =>
        MachineLine().Match(ReadElf("-h", path)) is { Success: true } m ? m.Groups[1].Value.Trim() : throw new InvalidDataException($"no ELF header in {path}");

    /// <summary>The DT_NEEDED entries: the shared libraries the dynamic loader must find to start it.</summary>
    public static IReadOnlyList<string> NeededLibraries(string path) =>
        NeededLine().Matches(ReadElf("-d", path)).Select(m => m.Groups[1].Value).ToList();

    private static string ReadElf(string option, string path)
    {
        var info = new ProcessStartInfo("readelf", ["-W", option, path]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"readelf {option} {path}: {error}");
    }

    [GeneratedRegex(@"^\s*Machine:\s*(.+)$", RegexOptions.Multiline)]
    private static partial Regex MachineLine();

    [GeneratedRegex(@"\(NEEDED\)\s+Shared library: \[([^\]]+)\]")]
    private static partial Regex NeededLine();
}
