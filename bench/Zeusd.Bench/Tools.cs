using System.Diagnostics;

namespace Zeusd.Bench;

/// <summary>
/// The external tools the benchmark reuses from the shared bench folder: udsload (a closed-loop HTTP/1.1 load generator
/// for Unix sockets and TCP, with an SSE mode) and a minimal fake libnvidia-ml whose own cost is tens of nanoseconds.
/// </summary>
public sealed class Tools
{
    public required string UdsLoad { get; init; }
    public required string FakeNvmlDirectory { get; init; }

    public static Tools Build(string sharedBench, string outputDirectory)
    {
        var build = Path.Combine(sharedBench, "build.sh");
        if (!File.Exists(build))
        {
            throw new FileNotFoundException($"{build} not found: pass --shared-bench DIR (the folder with udsload/ and fakenvml-min/)");
        }
        var info = new ProcessStartInfo("bash", [build, "--no-rust"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["ZBENCH"] = outputDirectory;
        using var process = Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("building the bench tools failed:\n" + output);
        }
        return new Tools
        {
            UdsLoad = Path.Combine(outputDirectory, "bin", "udsload"),
            FakeNvmlDirectory = Path.Combine(outputDirectory, "fakenvml"),
        };
    }

    /// <summary>Runs udsload with <paramref name="args"/> and parses its RESULT line.</summary>
    public LoadResult Load(params string[] args)
    {
        var info = new ProcessStartInfo(UdsLoad, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode is not (0 or 3))
        {
            throw new InvalidOperationException($"udsload {string.Join(' ', args)} failed ({process.ExitCode}):\n{stdout}{stderr.Result}");
        }
        return LoadResult.Parse(stdout);
    }
}
