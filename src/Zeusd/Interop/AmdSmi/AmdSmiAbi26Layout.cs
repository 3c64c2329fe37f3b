namespace Zeusd.Interop.AmdSmi;

/// <summary>ABI 26: ROCm 7.0, 7.1 and 7.2 (library 26.0, 26.1, 26.2); calls are thread-safe from 26.2 on.</summary>
internal sealed class AmdSmiAbi26Layout : AmdSmiAbiLayout
{
    public override int Abi => 26;

    public override AmdSmiPowerReading DecodePowerInfo(ReadOnlySpan<byte> buffer)
    {
        var info = Read<AmdSmiPowerInfoAbi26>(buffer);
        return new AmdSmiPowerReading(info.CurrentSocketPower, info.AverageSocketPower);
    }

    public override AmdSmiLibraryVersion DecodeVersion(ReadOnlySpan<byte> buffer)
    {
        var v = Read<AmdSmiVersionAbi26>(buffer);
        return new AmdSmiLibraryVersion(null, v.Major, v.Minor, v.Release);
    }

    public override bool IsSupported(AmdSmiLibraryVersion version) => version.Major == 26;

    public override bool NeedsSerializedCalls(AmdSmiLibraryVersion version) => (version.Major, version.Minor) is (26, < 2);
}
