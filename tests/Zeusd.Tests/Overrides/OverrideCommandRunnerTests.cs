using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Zeusd.Devices;
using Zeusd.GpuWrites;
using Zeusd.Overrides;
using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Overrides;

/// <summary>Real commands: shell scripts in a temp directory that record their argv and exit as told.</summary>
public sealed class OverrideCommandRunnerTests : IDisposable
{
    private readonly OverrideWorkspace _workspace = new();
    private readonly CapturingLogger _log = new();

    public void Dispose()
    {
        // Children that scripts left behind on purpose, found by their unique argument: never by a recorded pid, which
        // the kernel may have given to another test's daemon by now (pid_max is often 32768 and a run wraps it).
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out int pid) && ReadCommandLine(dir) == $"sleep\0{_leftoverSleep}\0")
            {
                Integration.Posix.Kill(pid, 9);
            }
        }
        _workspace.Dispose();
    }

    private static string? ReadCommandLine(string processDirectory)
    {
        try
        {
            return File.ReadAllText(Path.Combine(processDirectory, "cmdline"));
        }
        catch (IOException)
        {
            return null; // gone meanwhile
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>20 s, written so that no other process's command line is the same.</summary>
    private readonly string _leftoverSleep = "20." + Random.Shared.NextInt64(100_000_000, 999_999_999);

    /// <summary>A script that starts a child which outlives it and keeps stdout and stderr open, then runs <paramref name="then"/>.</summary>
    private string ScriptLeavingAChild(string name, string then) =>
        _workspace.WriteScript(name, $"sleep {_leftoverSleep} & {then}");

    private OverrideCommandRunner Runner(string? path = null) => new(_log, () => path ?? "/usr/bin:/bin");

    private static OverrideSpec Spec(GpuWriteOperation operation, string tableBody, params string[] commands)
    {
        string toml = $"[{operation.WireName()}]\ncommands = [{string.Join(", ", commands.Select(OverrideWorkspace.Toml))}]\n{tableBody}\n";
        return GpuCommandOverrides.Parse(toml, "test.toml", NullLoggerFactory.Instance).Get(operation)!;
    }

    private static OverrideSpec Reset(string tableBody, params string[] commands) =>
        Spec(GpuWriteOperation.ResetLockedClocks, tableBody, commands);

    private DeviceException Fails(OverrideSpec spec, OverrideCommandRunner? runner = null)
    {
        var error = Assert.Throws<DeviceException>(() => (runner ?? Runner()).Run(spec, new PlaceholderValues(0)));
        Assert.Equal(DeviceErrorKind.CommandOverrideFailed, error.Kind);
        return error;
    }

    [Fact]
    public void Run_Placeholders_AreSubstitutedInsideEachArgument()
    {
        var spec = Spec(GpuWriteOperation.SetPowerLimit, "", $"{_workspace.Recorder} --gpu={{gpu_id}} {{power_limit_mw}} '{{power_limit_w}} W' \"$HOME\"");

        Runner().Run(spec, new PlaceholderValues(2, PowerLimitMw: 175_999));

        Assert.Equal(["record [--gpu=2] [175999] [175 W] [$HOME]"], _workspace.Calls());
        Assert.Contains(_log.Lines, l => l == $"Information: GPU override command completed: command={_workspace.Recorder} '--gpu=2' 175999 '175 W' '$HOME' outcome=success");
    }

    [Fact]
    public void Run_SeveralCommands_RunInOrderAndStopAtTheFirstFailure()
    {
        string fail = _workspace.WriteScript("fail", "echo partial; echo broken >&2; exit 4");
        var spec = Reset("", $"{_workspace.Recorder} first", $"{fail} second", $"{_workspace.Recorder} third");

        var error = Fails(spec);

        Assert.Equal($"Override command failed: command '{fail} second' exited with code 4; stdout: partial\n; stderr: broken\n", error.Message);
        Assert.Equal(["record [first]"], _workspace.Calls());
    }

    [Fact]
    public void Run_AllSucceed_RunsEveryCommand()
    {
        Runner().Run(Reset("", $"{_workspace.Recorder} 1", $"{_workspace.Recorder} 2"), new PlaceholderValues(0));

        Assert.Equal(["record [1]", "record [2]"], _workspace.Calls());
    }

    [Fact]
    public void Run_KilledBySignal_IsAnAbnormalTermination()
    {
        string script = _workspace.WriteScript("die", "echo before; kill -TERM $$; sleep 5");

        var error = Fails(Reset("", script));

        Assert.Equal($"Override command failed: command '{script}' was terminated abnormally (signal: 15 (SIGTERM)); stdout: before\n; stderr: ", error.Message);
    }

    [Fact]
    public void Run_Timeout_KillsReapsAndSaysHowLong()
    {
        string pidFile = Path.Combine(_workspace.LogDirectory, "pid");
        string script = _workspace.WriteScript("hang", $"echo $$ > '{pidFile}'; echo waiting; exec sleep 30");
        var watch = Stopwatch.StartNew();

        var error = Fails(Reset("timeout_s = 1", script));

        Assert.Equal($"Override command failed: command '{script}' timed out after 1s; stdout: waiting\n; stderr: ", error.Message);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        int pid = int.Parse(File.ReadAllText(pidFile));
        Assert.False(Directory.Exists($"/proc/{pid}"), "the timed-out command was not killed and reaped");
    }

    [Theory]
    [InlineData("echo 'ERROR: clocks not set'", "ERROR: clocks not set\n", "")]
    [InlineData("echo fine; echo 'Failed to set' >&2", "fine\n", "Failed to set\n")]
    public void Run_ErrorPatternInStdoutOrStderr_FailsDespiteExitZero(string body, string stdout, string stderr)
    {
        string script = _workspace.WriteScript("noisy", body);

        var error = Fails(Reset("error_pattern = '(?i)error|fail'", script));

        Assert.Equal($"Override command failed: command '{script}' succeeded but its output matched error_pattern '(?i)error|fail'; " +
            $"stdout: {stdout}; stderr: {stderr}", error.Message);
    }

    [Fact]
    public void Run_ErrorPatternNotInOutput_Succeeds()
    {
        string script = _workspace.WriteScript("quiet", "echo all good; echo warnings: 0 >&2");

        Runner().Run(Reset("error_pattern = '(?i)error|fail'", script), new PlaceholderValues(0));
    }

    [Fact]
    public void Run_PatternMatchesOnlyAcrossStdoutThenStderr_Fails()
    {
        // The pattern is searched in stdout followed by stderr, so a match may span the two.
        string script = _workspace.WriteScript("split", "printf 'ERR'; printf 'OR' >&2");

        Assert.Contains("matched error_pattern 'ERROR'", Fails(Reset("error_pattern = 'ERROR'", script)).Message);
    }

    [Fact]
    public void Run_GrandchildHoldsThePipes_ReturnsAfterTheGraceWithoutPattern()
    {
        string script = ScriptLeavingAChild("detach", "echo started");
        var watch = Stopwatch.StartNew();

        Runner().Run(Reset("", script), new PlaceholderValues(0));

        Assert.InRange(watch.Elapsed, OverrideCommandRunner.OutputGrace, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Run_OutputReaderLateButThePipesClosed_ChecksTheWholeOutput()
    {
        // A busy thread pool can start the readers well after the command ended; its output is in the pipes all along.
        string script = _workspace.WriteScript("noisy", "echo fine; echo 'ERROR: clocks not set' >&2");
        var late = new OverrideCommandRunner(_log, () => "/usr/bin:/bin", async pipe =>
        {
            await Task.Delay(OverrideCommandRunner.OutputGrace * 2);
            return await OverrideCommandRunner.ReadOutputAsync(pipe);
        });

        var error = Fails(Reset("error_pattern = '(?i)error'", script), late);

        Assert.Equal($"Override command failed: command '{script}' succeeded but its output matched error_pattern '(?i)error'; " +
            "stdout: fine\n; stderr: ERROR: clocks not set\n", error.Message);
    }

    [Fact]
    public void Run_GrandchildHoldsThePipes_WithPatternFailsAsUncheckable()
    {
        string script = ScriptLeavingAChild("detach", "echo started");
        var watch = Stopwatch.StartNew();

        var error = Fails(Reset("error_pattern = 'error'", script));

        Assert.Equal($"Override command failed: command '{script}' succeeded but its output could not be collected, so error_pattern " +
            "could not be checked; stdout: <stdout was still open 1s after the command ended, likely held by a leftover child process>; " +
            "stderr: <stderr was still open 1s after the command ended, likely held by a leftover child process>", error.Message);
        Assert.InRange(watch.Elapsed, OverrideCommandRunner.OutputGrace, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Run_TimedOutCommandWhoseChildSurvives_DoesNotHang()
    {
        // Like sudo on timeout: the killed command's child lives on and keeps the pipes open.
        string script = ScriptLeavingAChild("sudo-like", "sleep 20");
        var watch = Stopwatch.StartNew();

        var error = Fails(Reset("timeout_s = 1", script));

        Assert.StartsWith($"Override command failed: command '{script}' timed out after 1s; stdout: <stdout was still open 1s", error.Message);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(12));
    }

    [Fact]
    public void Run_CommandNotOnPath_CannotBeSpawned()
    {
        var error = Fails(Reset("", "zeusd-test-no-such-command --gpu 0"), Runner(_workspace.LogDirectory));

        Assert.Equal("Override command failed: command 'zeusd-test-no-such-command --gpu 0' could not be spawned: " +
            "No such file or directory (os error 2); stdout: ; stderr: ", error.Message);
    }

    [Fact]
    public void Run_BareName_IsLookedUpOnPath()
    {
        string bin = Path.Combine(_workspace.Directory, "bin");
        Directory.CreateDirectory(bin);
        File.Copy(_workspace.Recorder, Path.Combine(bin, "zeusd-set-power"));
        File.SetUnixFileMode(Path.Combine(bin, "zeusd-set-power"), (UnixFileMode)Convert.ToInt32("755", 8));

        Runner($"{_workspace.LogDirectory}:{bin}").Run(Reset("", "zeusd-set-power {gpu_id}"), new PlaceholderValues(3));

        Assert.Equal(["zeusd-set-power [3]"], _workspace.Calls());
    }

    [Fact]
    public void Run_NotExecutable_CannotBeSpawned()
    {
        string script = _workspace.WriteScript("plain", "exit 0");
        File.SetUnixFileMode(script, (UnixFileMode)Convert.ToInt32("644", 8));

        Assert.Equal($"Override command failed: command '{script}' could not be spawned: Permission denied (os error 13); stdout: ; stderr: ",
            Fails(Reset("", script)).Message);
    }
}
