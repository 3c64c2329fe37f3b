using System.Buffers;
using System.Text;
using Zeusd.Policy;

namespace Zeusd.Tests.Policy;

public sealed class AllowedControlAuditTests
{
    [Theory]
    [InlineData(new[] { 0 }, "power_limit_mw=200000")]
    [InlineData(new[] { 3, 1, 12 }, "min_clock_mhz=900 max_clock_mhz=1980")]
    [InlineData(new int[0], "")]
    public void WriteMessage_AnyRequest_IsTheUtf8OfTheAuditText(int[] gpus, string values)
    {
        var audit = new AllowedControlAudit("user 'jürgen' (uid 1001, pid 42)", "/gpu/set_power_limit", gpus, values, "ml-team, ops");
        var bytes = new ArrayBufferWriter<byte>();

        audit.WriteMessage(bytes);

        string expected = $"GPU control by user 'jürgen' (uid 1001, pid 42): /gpu/set_power_limit on GPUs [{string.Join(',', gpus)}] ({values}): allowed by grant ml-team, ops";
        Assert.Equal(expected, Encoding.UTF8.GetString(bytes.WrittenSpan));
        Assert.Equal(expected, audit.ToString());
    }
}
