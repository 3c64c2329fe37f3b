using System.Text.RegularExpressions;
using Zeusd.Tests.Integration;

namespace Zeusd.Tests.Hosting;

/// <summary>What the journal receives from the daemon's stdout when systemd runs it, and what a terminal gets otherwise.</summary>
public sealed partial class JournalLogFormatTests
{
    [Theory]
    [InlineData("JOURNAL_STREAM", "8:123456")]
    [InlineData("INVOCATION_ID", "0123456789abcdef0123456789abcdef")]
    public async Task Serve_UnderSystemd_EveryLineStartsWithItsSyslogPriorityAndHasNoTimestamp(string variable, string value)
    {
        string output = await RunWithStaleSocketAsync(new Dictionary<string, string> { [variable] = value });

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, line => Assert.Matches(SyslogPrefix(), line));
        Assert.Contains(lines, line => line.StartsWith("<4>", StringComparison.Ordinal) && line.Contains("Removing stale socket file"));
        Assert.Contains(lines, line => line.StartsWith("<6>", StringComparison.Ordinal) && line.Contains("Listening on"));
        Assert.DoesNotContain('\u001b', output);
        Assert.DoesNotMatch(Timestamp(), output);
    }

    [Fact]
    public async Task Serve_InATerminal_WritesTimestampedLevelLines()
    {
        string output = await RunWithStaleSocketAsync(new Dictionary<string, string>());

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, line => Regex.IsMatch(line, @"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z warn: .*Removing stale socket file"));
        Assert.Contains(lines, line => Regex.IsMatch(line, @"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info: .*Listening on"));
        Assert.All(lines, line => Assert.DoesNotMatch(SyslogPrefix(), line));
    }

    /// <summary>A stale socket makes the daemon warn before it logs "Listening on" at info: two priorities in one run.</summary>
    private static async Task<string> RunWithStaleSocketAsync(Dictionary<string, string> environment)
    {
        string dir = DaemonProcess.NewTempDirectory();
        string socket = Path.Combine(dir, "zeusd.sock");
        Posix.CreateStaleSocket(socket);
        await using var daemon = await DaemonProcess.StartAsync(["--simulate"], environment: environment, directory: dir);
        Assert.Equal(0, await daemon.StopAsync());
        return daemon.Output;
    }

    [GeneratedRegex(@"^<[0-7]>")]
    private static partial Regex SyslogPrefix();

    [GeneratedRegex(@"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")]
    private static partial Regex Timestamp();
}
