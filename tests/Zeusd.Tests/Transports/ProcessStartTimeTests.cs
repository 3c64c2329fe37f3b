using System.Diagnostics;
using Zeusd.Transports;

namespace Zeusd.Tests.Transports;

public sealed class ProcessStartTimeTests
{
    [Fact]
    public void Parse_CommandNameWithSpacesAndParentheses_ReadsField22()
    {
        string stat = "4242 (we(ird) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 12345678 100";

        Assert.Equal(987654ul, ProcessStartTime.Parse(stat));
    }

    [Theory]
    [InlineData("4242 no parentheses")]
    [InlineData("4242 (short) S 1 2")]
    [InlineData("4242 (x) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 -5 1")]
    public void Parse_Malformed_IsNull(string stat)
    {
        Assert.Null(ProcessStartTime.Parse(stat));
    }

    [Fact]
    public void Read_TwoProcesses_DifferUnlessTheSame()
    {
        using var sleeper = Process.Start("sleep", "5");
        try
        {
            var own = ProcessStartTime.Read(Environment.ProcessId);
            var other = ProcessStartTime.Read(sleeper.Id);

            Assert.NotNull(own);
            Assert.NotNull(other);
            Assert.True(other > own);
            Assert.Equal(own, ProcessStartTime.Read(Environment.ProcessId));
        }
        finally
        {
            sleeper.Kill();
            sleeper.WaitForExit();
        }
    }

    [Fact]
    public void Read_NoSuchProcess_IsNull()
    {
        Assert.Null(ProcessStartTime.Read(int.MaxValue));
    }
}
