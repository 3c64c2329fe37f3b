using System.Diagnostics;

namespace Zeusd.Tests.Hosting;

/// <summary>The release binary under test: the one <c>ZEUSD_RELEASE_BIN</c> names, or one published for this run.</summary>
public sealed class ReleaseBinaryFixture : IAsyncLifetime
{
    public const string Variable = "ZEUSD_RELEASE_BIN";

    public static string? Setting => Environment.GetEnvironmentVariable(Variable);

    public string BinaryPath { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (string.IsNullOrEmpty(Setting))
        {
            return; // every test of the class is skipped
        }
        if (Setting != "publish")
        {
            BinaryPath = Path.GetFullPath(Setting);
            return;
        }
        string root = RepositoryRoot();
        var info = new ProcessStartInfo("bash", [Path.Combine(root, "packaging", "publish.sh"), "linux-x64"])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var publish = Process.Start(info)!;
        var stdout = publish.StandardOutput.ReadToEndAsync();
        var stderr = publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync();
        if (publish.ExitCode != 0)
        {
            throw new InvalidOperationException($"packaging/publish.sh failed ({publish.ExitCode}):\n{await stdout}\n{await stderr}");
        }
        BinaryPath = Path.Combine(root, "artifacts", "publish", "linux-x64", "zeusd");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Zeusd.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("Zeusd.slnx not found above " + AppContext.BaseDirectory);
    }
}
