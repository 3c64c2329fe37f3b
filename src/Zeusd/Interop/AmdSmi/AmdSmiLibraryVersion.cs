namespace Zeusd.Interop.AmdSmi;

/// <summary>What <c>amdsmi_get_lib_version</c> reported. <see cref="Year"/> is null for ABI 26, which has none.</summary>
internal readonly record struct AmdSmiLibraryVersion(uint? Year, uint Major, uint Minor, uint Release)
{
    /// <summary><c>year.major.minor.release</c> (ABI 24, 25) or <c>major.minor.release</c> (ABI 26).</summary>
    public override string ToString() =>
        Year is { } year ? $"{year}.{Major}.{Minor}.{Release}" : $"{Major}.{Minor}.{Release}";
}
