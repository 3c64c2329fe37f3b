namespace Zeusd.Interop.AmdSmi;

/// <summary>
/// Why one candidate was rejected: the dynamic loader's text, and the symbol that was missing (null when the file
/// itself did not load).
/// </summary>
internal sealed record AmdSmiLoadFailure(AmdSmiCandidate Candidate, string? MissingSymbol, string LoaderError);
