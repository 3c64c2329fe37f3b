using System.Diagnostics;

namespace Zeusd.Tests.Hosting;

/// <summary>
/// The release binary under test: the one an environment variable names, or one <c>packaging/publish.sh</c> builds
/// for this run when the variable is <c>publish</c>. Unset, every test of the class is skipped.
/// </summary>
public abstract class ReleaseBinaryFixtureBase(string variable, string rid) : IAsyncLifetime
{
    public string BinaryPath { get; private set; } = "";

    public async Task InitializeAsync()
    {
        string? setting = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(setting))
        {
            return;
        }
        if (setting != "publish")
        {
            BinaryPath = Path.GetFullPath(setting);
            return;
        }
        string root = RepositoryRoot();
        var info = new ProcessStartInfo("bash", [Path.Combine(root, "packaging", "publish.sh"), rid])
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
            throw new InvalidOperationException($"packaging/publish.sh {rid} failed ({publish.ExitCode}):\n{await stdout}\n{await stderr}");
        }
        BinaryPath = Path.Combine(root, "artifacts", "publish", rid, "zeusd");
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

/// <summary>The linux-x64 release binary (<c>ZEUSD_RELEASE_BIN</c>).</summary>
public sealed class ReleaseBinaryFixture() : ReleaseBinaryFixtureBase(Variable, "linux-x64")
{
    public const string Variable = "ZEUSD_RELEASE_BIN";
}

/// <summary>The linux-arm64 release binary (<c>ZEUSD_RELEASE_BIN_ARM64</c>), run under qemu on an x64 host.</summary>
public sealed class Arm64ReleaseBinaryFixture() : ReleaseBinaryFixtureBase(Variable, "linux-arm64")
{
    public const string Variable = "ZEUSD_RELEASE_BIN_ARM64";
}
