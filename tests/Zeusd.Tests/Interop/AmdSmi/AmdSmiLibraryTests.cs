using Zeusd.Devices.Gpu.AmdSmi;
using Zeusd.Interop.AmdSmi;
using Zeusd.Tests.Integration;
using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Interop.AmdSmi;

/// <summary>
/// Loading candidates through the production loader (dlopen and dlsym of the real fake library files, in this
/// process; nothing is called): the first file that opens with all 15 symbols wins, and every rejected one is
/// reported the way the original daemon words it.
/// </summary>
public sealed class AmdSmiLibraryTests : IDisposable
{
    private readonly string _dir = DaemonProcess.NewTempDirectory();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private IReadOnlyList<AmdSmiCandidate> InDir() =>
        new AmdSmiLibrarySearch(name => name == AmdSmiLibrarySearch.LibDirVariable ? _dir : null, "/nonexistent").Candidates();

    private string PathOf(int abi) => Path.Combine(_dir, $"libamd_smi.so.{abi}");

    private static void Release(AmdSmiLoadedLibrary? library)
    {
        if (library is not null)
        {
            Zeusd.Interop.Libc.Libc.DlClose(library.Handle);
        }
    }

    [Fact]
    public void TryLoad_AllThreeAbis_NewestWinsAndItsAbiComesFromTheName()
    {
        foreach (int abi in new[] { 24, 25, 26 })
        {
            FakeAmdSmi.Install(_dir, abi);
        }

        var library = AmdSmiLibrary.TryLoad(InDir(), out var failures);
        Release(library);

        Assert.NotNull(library);
        Assert.Equal((PathOf(26), 26), (library.Path, library.Layout.Abi));
        Assert.Empty(failures);
    }

    [Fact]
    public void TryLoad_OnlyOlderAbis_NextInOrder()
    {
        FakeAmdSmi.Install(_dir, 24);
        FakeAmdSmi.Install(_dir, 25);

        var library = AmdSmiLibrary.TryLoad(InDir(), out var failures);
        Release(library);

        Assert.Equal((PathOf(25), 25), (library!.Path, library.Layout.Abi));
        var missing = Assert.Single(failures);
        Assert.Equal($"{PathOf(26)}: {PathOf(26)}: cannot open shared object file: No such file or directory", AmdSmiErrors.Describe(missing));
    }

    [Fact]
    public void TryLoad_NotAnElfFileThenAGoodOne_SkipsToTheGoodOne()
    {
        File.WriteAllText(PathOf(26), "not a shared object\n");
        FakeAmdSmi.Install(_dir, 25);

        var library = AmdSmiLibrary.TryLoad(InDir(), out var failures);
        Release(library);

        Assert.Equal(PathOf(25), library!.Path);
        var bad = Assert.Single(failures);
        Assert.Null(bad.MissingSymbol);
        Assert.StartsWith($"{PathOf(26)}: {PathOf(26)}: ", AmdSmiErrors.Describe(bad));
    }

    [Fact]
    public void TryLoad_MissingSymbol_RejectedNamingTheSymbolAndTheNextOneWins()
    {
        FakeAmdSmi.Install(_dir, 26, rocm62: true);
        FakeAmdSmi.Install(_dir, 24);

        var library = AmdSmiLibrary.TryLoad(InDir(), out var failures);
        Release(library);

        Assert.Equal(PathOf(24), library!.Path);
        Assert.Equal("amdsmi_set_gpu_clk_limit", failures[0].MissingSymbol);
        Assert.Equal($"failed to load amdsmi_set_gpu_clk_limit from {PathOf(26)}: {PathOf(26)}: undefined symbol: amdsmi_set_gpu_clk_limit",
            AmdSmiErrors.Describe(failures[0]));
    }

    [Fact]
    public void TryLoad_Rocm62Library_AllFailWithTheRocm62HintOnTheAbi24Entry()
    {
        FakeAmdSmi.Install(_dir, 24, rocm62: true);

        var library = AmdSmiLibrary.TryLoad(InDir(), out var failures);

        Assert.Null(library);
        Assert.Equal(
            "no supported AMD SMI library found (AMDSMI_LIB_DIR and ROCM_PATH restrict the search when set; otherwise " +
            "/opt/rocm*/lib and the dynamic loader paths are searched): " +
            $"{PathOf(26)}: {PathOf(26)}: cannot open shared object file: No such file or directory; " +
            $"{PathOf(25)}: {PathOf(25)}: cannot open shared object file: No such file or directory; " +
            $"failed to load amdsmi_set_gpu_clk_limit from {PathOf(24)}: {PathOf(24)}: undefined symbol: amdsmi_set_gpu_clk_limit; " +
            "a libamd_smi.so.24 without this symbol is ROCm 6.2, which zeusd does not support (ROCm 6.3 is the minimum)",
            AmdSmiErrors.NoLibrary(failures));
    }

    [Fact]
    public void Describe_MissingClockSymbolOnAbi26_NoRocm62Hint()
    {
        FakeAmdSmi.Install(_dir, 26, rocm62: true);

        AmdSmiLibrary.TryLoad(InDir(), out var failures);

        Assert.DoesNotContain("ROCm 6.2", AmdSmiErrors.Describe(failures[0]));
    }
}
