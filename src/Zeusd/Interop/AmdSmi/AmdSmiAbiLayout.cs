using System.Runtime.InteropServices;

namespace Zeusd.Interop.AmdSmi;

/// <summary>
/// What differs between the AMD SMI ABIs zeusd supports: the layouts of <c>amdsmi_power_info_t</c> and
/// <c>amdsmi_version_t</c>, and which library versions each ABI may report. The ABI is decided by the file name the
/// library was loaded from (<c>libamd_smi.so.NN</c>), never by probing the library.
/// </summary>
internal abstract class AmdSmiAbiLayout
{
    /// <summary>The layouts in the order their files are searched: newest first.</summary>
    public static readonly AmdSmiAbiLayout[] SearchOrder = [new AmdSmiAbi26Layout(), new AmdSmiAbi25Layout(), new AmdSmiAbi24Layout()];

    /// <summary>24, 25 or 26: the soname's major number.</summary>
    public abstract int Abi { get; }

    public string FileName => $"libamd_smi.so.{Abi}";

    /// <summary>Reads the socket power fields from a zeroed <see cref="AmdSmi.PowerInfoBufferSize"/>-byte buffer.</summary>
    public abstract AmdSmiPowerReading DecodePowerInfo(ReadOnlySpan<byte> buffer);

    /// <summary>Reads the version from a zeroed <see cref="AmdSmi.VersionBufferSize"/>-byte buffer.</summary>
    public abstract AmdSmiLibraryVersion DecodeVersion(ReadOnlySpan<byte> buffer);

    /// <summary>Whether a library of this ABI reporting <paramref name="version"/> is one zeusd supports.</summary>
    public abstract bool IsSupported(AmdSmiLibraryVersion version);

    /// <summary>Whether <paramref name="version"/> is ROCm 6.2's library, which ships the same soname as ROCm 6.3's.</summary>
    public virtual bool IsRocm62(AmdSmiLibraryVersion version) => false;

    /// <summary>
    /// Libraries before 26.2 are not thread-safe (they can crash on ABI 24 and mix up values across GPUs on ABI 25
    /// and 26.0/26.1), so every call into them is serialized.
    /// </summary>
    public virtual bool NeedsSerializedCalls(AmdSmiLibraryVersion version) => true;

    protected static T Read<T>(ReadOnlySpan<byte> buffer) where T : unmanaged => MemoryMarshal.Read<T>(buffer);
}
