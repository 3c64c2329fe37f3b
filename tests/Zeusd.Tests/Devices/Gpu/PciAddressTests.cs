using Zeusd.Devices.Gpu;

namespace Zeusd.Tests.Devices.Gpu;

public sealed class PciAddressTests
{
    [Theory]
    [InlineData(0x0000u, 0x17u, 0x00u, "0000:17:00.0")]
    [InlineData(0x0001u, 0xB3u, 0x1Fu, "0001:b3:1f.0")]
    [InlineData(0xABCDu, 0xFFu, 0x01u, "abcd:ff:01.0")]
    [InlineData(0x10000u, 0x3Bu, 0x02u, "10000:3b:02.0")]
    public void FromNvml_DomainBusDevice_LowercaseWithFourDigitDomainAndFunctionZero(uint domain, uint bus, uint device, string expected)
    {
        Assert.Equal(expected, PciAddress.FromNvml(domain, bus, device));
    }
}
