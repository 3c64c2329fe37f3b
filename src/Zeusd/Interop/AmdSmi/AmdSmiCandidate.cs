namespace Zeusd.Interop.AmdSmi;

/// <summary>A file to try: a path, or a bare file name for the dynamic loader to search, and the ABI its name implies.</summary>
internal sealed record AmdSmiCandidate(string Path, AmdSmiAbiLayout Layout);
