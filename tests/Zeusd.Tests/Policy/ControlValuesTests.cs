using System.Text;
using Zeusd.Policy;

namespace Zeusd.Tests.Policy;

public sealed class ControlValuesTests
{
    [Theory]
    [InlineData(ControlKind.PowerLimit, 150000u, 0u, "power_limit_mw=150000")]
    [InlineData(ControlKind.GpuLockedClocks, 900u, 1980u, "min_clock_mhz=900 max_clock_mhz=1980")]
    [InlineData(ControlKind.MemLockedClocks, uint.MaxValue, uint.MaxValue, "min_clock_mhz=4294967295 max_clock_mhz=4294967295")]
    [InlineData(ControlKind.PersistenceMode, 1u, 0u, "enabled=true")]
    [InlineData(ControlKind.PersistenceMode, 0u, 0u, "enabled=false")]
    [InlineData(ControlKind.Reset, 7u, 9u, "")]
    public void ToStringAndWriteUtf8_AnyValues_SayTheSame(ControlKind kind, uint first, uint second, string expected)
    {
        var values = new ControlValues(kind, first, second);
        Span<byte> utf8 = stackalloc byte[ControlValues.MaxUtf8Length];

        int length = values.WriteUtf8(utf8);

        Assert.Equal(expected, values.ToString());
        Assert.Equal(expected, Encoding.UTF8.GetString(utf8[..length]));
    }
}
