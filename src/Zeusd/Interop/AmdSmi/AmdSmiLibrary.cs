namespace Zeusd.Interop.AmdSmi;

/// <summary>
/// Loads libamd_smi: the first candidate that opens and exports all of <see cref="AmdSmi.RequiredSymbols"/> wins and
/// the search stops there (a later init or version problem never falls back to another file, as in the original
/// daemon). The loaded handle is then routed to <see cref="AmdSmi.LibraryName"/> for the <c>[LibraryImport]</c>s.
/// </summary>
internal static class AmdSmiLibrary
{
    /// <summary>Tries <paramref name="candidates"/> in order; <paramref name="failures"/> lists every rejected one.</summary>
    public static AmdSmiLoadedLibrary? TryLoad(IReadOnlyList<AmdSmiCandidate> candidates, out List<AmdSmiLoadFailure> failures)
    {
        failures = [];
        foreach (var candidate in candidates)
        {
            // Clears any earlier error, and binds dlerror itself before it is needed, so that binding it cannot
            // disturb the error state of the call it reports on.
            Libc.Libc.DlError();
            nint handle = Libc.Libc.DlOpen(candidate.Path, Libc.Libc.RtldLazy | Libc.Libc.RtldLocal);
            if (handle == 0)
            {
                failures.Add(new AmdSmiLoadFailure(candidate, null, Libc.Libc.DlError()));
                continue;
            }
            if (FirstMissingSymbol(handle, out string loaderError) is { } missing)
            {
                Libc.Libc.DlClose(handle);
                failures.Add(new AmdSmiLoadFailure(candidate, missing, loaderError));
                continue;
            }
            return new AmdSmiLoadedLibrary(handle, candidate.Path, candidate.Layout);
        }
        return null;
    }

    private static string? FirstMissingSymbol(nint handle, out string loaderError)
    {
        foreach (string symbol in AmdSmi.RequiredSymbols)
        {
            Libc.Libc.DlError();
            if (Libc.Libc.DlSym(handle, symbol) == 0)
            {
                loaderError = Libc.Libc.DlError();
                return symbol;
            }
        }
        loaderError = "";
        return null;
    }

    /// <summary>Makes the <c>[LibraryImport]</c>s of <see cref="AmdSmi"/> call into <paramref name="library"/>.</summary>
    public static void Register(AmdSmiLoadedLibrary library) => NativeLibraryResolver.Register(AmdSmi.LibraryName, library.Handle);
}
