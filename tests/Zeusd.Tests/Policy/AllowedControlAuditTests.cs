using System.Buffers;
using System.Text;
using Zeusd.Policy;

namespace Zeusd.Tests.Policy;

public sealed class AllowedControlAuditTests
{
    [Theory]
    [InlineData(new[] { 0 }, ControlKind.PowerLimit, 200000u, 0u, "power_limit_mw=200000")]
    [InlineData(new[] { 0, 1, 63 }, ControlKind.PowerLimit, 150000u, 0u, "power_limit_mw=150000")]
    [InlineData(new[] { 7, 64 }, ControlKind.PowerLimit, 150000u, 0u, "power_limit_mw=150000")]
    [InlineData(new[] { 3, 1, 12 }, ControlKind.MemLockedClocks, 900u, 1980u, "min_clock_mhz=900 max_clock_mhz=1980")]
    [InlineData(new[] { 1 }, ControlKind.GpuLockedClocks, uint.MaxValue, uint.MaxValue, "min_clock_mhz=4294967295 max_clock_mhz=4294967295")]
    [InlineData(new[] { 2 }, ControlKind.PersistenceMode, 0u, 0u, "enabled=false")]
    [InlineData(new int[0], ControlKind.Reset, 0u, 0u, "")]
    public void Write_PartsOfAnyRequest_IsTheUtf8OfTheAuditText(int[] gpus, ControlKind kind, uint first, uint second, string values)
    {
        var parts = AllowedControlAudit.Parts(Encoding.UTF8.GetBytes("user 'jürgen' (uid 1001, pid 42)"), "/gpu/set_power_limit", gpus,
            new ControlValues(kind, first, second), "ml-team, ops");
        var bytes = new ArrayBufferWriter<byte>();

        AllowedControlAudit.Format.Write(parts, bytes);

        Assert.Equal(
            $"GPU control by user 'jürgen' (uid 1001, pid 42): /gpu/set_power_limit on GPUs [{string.Join(',', gpus)}] ({values}): allowed by grant ml-team, ops",
            Encoding.UTF8.GetString(bytes.WrittenSpan));
    }
}
