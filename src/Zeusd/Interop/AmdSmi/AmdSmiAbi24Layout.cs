namespace Zeusd.Interop.AmdSmi;

/// <summary>ABI 24: ROCm 6.3 (library 24.7); ROCm 6.2's 24.6 has the same soname and is rejected.</summary>
internal sealed class AmdSmiAbi24Layout : AmdSmiAbiLayout
{
    public override int Abi => 24;

    public override AmdSmiPowerReading DecodePowerInfo(ReadOnlySpan<byte> buffer)
    {
        var info = Read<AmdSmiPowerInfoAbi24>(buffer);
        return new AmdSmiPowerReading(info.CurrentSocketPower, info.AverageSocketPower);
    }

    public override AmdSmiLibraryVersion DecodeVersion(ReadOnlySpan<byte> buffer)
    {
        var v = Read<AmdSmiVersionAbi24>(buffer);
        return new AmdSmiLibraryVersion(v.Year, v.Major, v.Minor, v.Release);
    }

    public override bool IsSupported(AmdSmiLibraryVersion version) => version is { Year: 24, Major: >= 7 };

    public override bool IsRocm62(AmdSmiLibraryVersion version) => version is { Year: 24, Major: < 7 };
}
