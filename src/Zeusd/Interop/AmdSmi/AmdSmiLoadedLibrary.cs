namespace Zeusd.Interop.AmdSmi;

/// <summary>A libamd_smi that opened with every symbol zeusd needs: its loader handle, where it came from, its ABI.</summary>
internal sealed record AmdSmiLoadedLibrary(nint Handle, string Path, AmdSmiAbiLayout Layout);
