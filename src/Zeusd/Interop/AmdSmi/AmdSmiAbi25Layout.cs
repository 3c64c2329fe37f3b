namespace Zeusd.Interop.AmdSmi;

/// <summary>ABI 25: ROCm 6.4 (library 25.x, which keeps a deprecated year field).</summary>
internal sealed class AmdSmiAbi25Layout : AmdSmiAbiLayout
{
    public override int Abi => 25;

    public override AmdSmiPowerReading DecodePowerInfo(ReadOnlySpan<byte> buffer)
    {
        var info = Read<AmdSmiPowerInfoAbi25>(buffer);
        return new AmdSmiPowerReading(info.CurrentSocketPower, info.AverageSocketPower);
    }

    public override AmdSmiLibraryVersion DecodeVersion(ReadOnlySpan<byte> buffer)
    {
        var v = Read<AmdSmiVersionAbi24>(buffer);
        return new AmdSmiLibraryVersion(v.Year, v.Major, v.Minor, v.Release);
    }

    public override bool IsSupported(AmdSmiLibraryVersion version) => version is { Year: 25, Major: 25 };
}
