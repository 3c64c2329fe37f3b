using Zeusd.Devices;
using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Devices;

public sealed class RepeatedFailureLogTests : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private readonly ManualTimeProvider _clock = new();
    private readonly CapturingLogger _log = new();
    private readonly RepeatedFailureLog _failures;

    public RepeatedFailureLogTests()
    {
        _failures = new RepeatedFailureLog("GPU 2", _log, _clock, Interval);
    }

    public void Dispose() => _failures.Dispose();

    private void Fail(int times, string command = "set_power_limit", string error = "NVML error: unknown")
    {
        for (int i = 0; i < times; i++)
        {
            _failures.Report(command, error);
        }
    }

    [Fact]
    public void Report_FirstFailure_IsLoggedAtOnce()
    {
        Fail(1);

        Assert.Equal(["Error: GPU 2: non-blocking set_power_limit failed: NVML error: unknown"], _log.Lines);
    }

    [Fact]
    public void Report_RepeatsWithinAnInterval_OneLineWithTheirCountWhenItEnds()
    {
        Fail(1000);
        _clock.Advance(Interval - TimeSpan.FromMilliseconds(1));
        Assert.Single(_log.Lines);

        _clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal("Error: GPU 2: non-blocking set_power_limit failed 999 more times in the last 10 s: NVML error: unknown", _log.Lines[^1]);
        Assert.Equal(2, _log.Lines.Length);
    }

    [Fact]
    public void Report_KeepsFailing_OneLinePerIntervalWithThatIntervalsCount()
    {
        Fail(5);
        _clock.Advance(Interval);
        Fail(7);
        _clock.Advance(Interval);

        Assert.Equal(3, _log.Lines.Length);
        Assert.Contains("failed 4 more times in the last 10 s", _log.Lines[1]);
        Assert.Contains("failed 7 more times in the last 10 s", _log.Lines[2]);
    }

    [Fact]
    public void Report_DifferentErrorsAndCommands_EachFirstOneLoggedAtOnce()
    {
        Fail(3, error: "NVML error: unknown");
        Fail(3, error: "NVML error: gpu lost");
        Fail(3, command: "set_gpu_locked_clocks");

        Assert.Equal(3, _log.Lines.Length);
        Assert.Contains("set_power_limit failed: NVML error: gpu lost", _log.Lines[1]);
        Assert.Contains("set_gpu_locked_clocks failed: NVML error: unknown", _log.Lines[2]);
        _clock.Advance(Interval);
        Assert.Equal(6, _log.Lines.Length);
        Assert.All(_log.Lines[3..], line => Assert.Contains("failed 2 more times", line));
    }

    [Fact]
    public void Report_QuietForAWholeInterval_NextFailureIsLoggedAtOnceAgain()
    {
        Fail(1);
        _clock.Advance(Interval);
        Assert.Single(_log.Lines);
        Assert.Equal(0, _clock.ArmedTimers);

        _clock.Advance(TimeSpan.FromMinutes(3));
        Fail(1);

        Assert.Equal(2, _log.Lines.Length);
        Assert.Equal(_log.Lines[0], _log.Lines[1]);
    }

    [Fact]
    public void Dispose_RepeatsNotYetReported_AreWrittenWithTheTimeSoFar()
    {
        Fail(3);
        _clock.Advance(TimeSpan.FromSeconds(4));

        _failures.Dispose();

        Assert.Equal("Error: GPU 2: non-blocking set_power_limit failed 2 more times in the last 4 s: NVML error: unknown", _log.Lines[^1]);
        Fail(1);
        Assert.Equal(0, _clock.ArmedTimers);
    }
}
