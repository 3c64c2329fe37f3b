using System.Diagnostics;
using Zeusd.Restore;
using Zeusd.Tests.TestDoubles;
using Zeusd.Transports;

namespace Zeusd.Tests.Restore;

public sealed class ProcessExitWatcherTests
{
    private readonly CapturingLogger _logger = new();
    private readonly TaskCompletionSource<ProcessIdentity> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ProcessExitWatcher Start() => ProcessExitWatcher.TryStart(p => _exited.TrySetResult(p), _logger)!;

    private static (Process Process, ProcessIdentity Identity) Sleeper()
    {
        var process = Process.Start("sleep", "30");
        return (process, new ProcessIdentity(process.Id, ProcessStartTime.Read(process.Id)!.Value));
    }

    [Fact]
    public async Task Watch_ProcessExits_IsReportedAtOnce()
    {
        using var watcher = Start();
        var (process, identity) = Sleeper();
        using (process)
        {
            watcher.Watch(identity);
            await Task.Delay(100);
            Assert.False(_exited.Task.IsCompleted);

            var killed = Stopwatch.StartNew();
            process.Kill();

            Assert.Equal(identity, await _exited.Task.WaitAsync(TimeSpan.FromSeconds(1)));
            Assert.True(killed.Elapsed < TimeSpan.FromSeconds(1));
        }
    }

    [Fact]
    public async Task Watch_PidNowOwnedByAnotherProcess_IsReportedAsExited()
    {
        using var watcher = Start();
        var (process, identity) = Sleeper();
        using (process)
        {
            // The same pid with an earlier start time: the process the caller was has exited and the pid was reused.
            var earlier = identity with { StartTime = identity.StartTime - 1 };

            watcher.Watch(earlier);

            Assert.Equal(earlier, await _exited.Task.WaitAsync(TimeSpan.FromSeconds(1)));
            Assert.False(process.HasExited);
            process.Kill();
        }
    }

    [Fact]
    public async Task Watch_ProcessAlreadyGone_IsReportedAtOnce()
    {
        using var watcher = Start();
        var (process, identity) = Sleeper();
        process.Kill();
        await process.WaitForExitAsync();
        process.Dispose();

        watcher.Watch(identity);

        Assert.Equal(identity, await _exited.Task.WaitAsync(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task Unwatch_ThenExit_IsNotReported()
    {
        using var watcher = Start();
        var (process, identity) = Sleeper();
        using (process)
        {
            watcher.Watch(identity);
            watcher.Unwatch(identity);
            process.Kill();
            await process.WaitForExitAsync();

            await Task.Delay(300);
            Assert.False(_exited.Task.IsCompleted);
        }
    }
}
