using System.Diagnostics;

namespace Zeusd.Tests.Metrics;

/// <summary>Finds and runs the Prometheus tools on PATH.</summary>
public static class PrometheusTools
{
    public static string? Find(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':')
            .Select(dir => Path.Combine(dir, tool)).FirstOrDefault(File.Exists);

    public static string Require(string tool) =>
        Find(tool) ?? throw new InvalidOperationException($"{tool} is not on PATH: install Debian's prometheus package");

    /// <summary><c>promtool check metrics</c> on <paramref name="scrape"/>: exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> CheckMetricsAsync(string scrape)
    {
        var info = new ProcessStartInfo(Require("promtool"), ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(scrape);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
