using Zeusd.Interop.AmdSmi;
using Zeusd.Tests.Integration;

namespace Zeusd.Tests.Interop.AmdSmi;

/// <summary>Where the daemon looks for libamd_smi (spec §1.1), with the environment and the <c>/opt</c> root injected.</summary>
public sealed class AmdSmiLibrarySearchTests : IDisposable
{
    private readonly string _opt = DaemonProcess.NewTempDirectory();

    public void Dispose() => Directory.Delete(_opt, recursive: true);

    private IReadOnlyList<string> Candidates(params (string Name, string Value)[] environment)
    {
        var env = environment.ToDictionary(e => e.Name, e => e.Value);
        return [.. new AmdSmiLibrarySearch(name => env.GetValueOrDefault(name), _opt).Candidates().Select(c => c.Path)];
    }

    private static string[] In(string directory) =>
        [Path.Combine(directory, "libamd_smi.so.26"), Path.Combine(directory, "libamd_smi.so.25"), Path.Combine(directory, "libamd_smi.so.24")];

    [Fact]
    public void Candidates_LibDirAndRocmPathBothSet_OnlyLibDir()
    {
        Assert.Equal(In("/x/amd"), Candidates(("AMDSMI_LIB_DIR", "/x/amd"), ("ROCM_PATH", "/x/rocm")));
    }

    [Fact]
    public void Candidates_RocmPath_OnlyItsLibDirectory()
    {
        Assert.Equal(In("/x/rocm/lib"), Candidates(("ROCM_PATH", "/x/rocm")));
    }

    [Fact]
    public void Candidates_EmptyLibDir_BareNamesForTheLoader()
    {
        Assert.Equal(["libamd_smi.so.26", "libamd_smi.so.25", "libamd_smi.so.24"], Candidates(("AMDSMI_LIB_DIR", ""), ("ROCM_PATH", "/x")));
    }

    [Fact]
    public void Candidates_EmptyRocmPath_RelativeToTheWorkingDirectory()
    {
        Assert.Equal(In("lib"), Candidates(("ROCM_PATH", "")));
    }

    [Fact]
    public void Candidates_NothingSet_OptRocmThenNewestVersionedThenLoader()
    {
        foreach (string name in new[] { "rocm", "rocm-6.9.0", "rocm-6.10.0", "rocm-custom", "rocm-7.2.0-rc1", "rocm-", "rocm-6.10.0.", "other" })
        {
            Directory.CreateDirectory(Path.Combine(_opt, name));
        }

        Assert.Equal([.. In(Path.Combine(_opt, "rocm", "lib")), .. In(Path.Combine(_opt, "rocm-6.10.0", "lib")),
            "libamd_smi.so.26", "libamd_smi.so.25", "libamd_smi.so.24"], Candidates());
    }

    [Fact]
    public void Candidates_NoVersionedRocm_OptRocmThenLoader()
    {
        Assert.Equal([.. In(Path.Combine(_opt, "rocm", "lib")), "libamd_smi.so.26", "libamd_smi.so.25", "libamd_smi.so.24"], Candidates());
    }

    [Theory]
    [InlineData(new[] { "rocm-7.2", "rocm-7.2.0" }, "rocm-7.2.0")]
    [InlineData(new[] { "rocm-6.10.0", "rocm-6.9.9" }, "rocm-6.10.0")]
    [InlineData(new[] { "rocm-7.2.0", "rocm-07.2.0" }, "rocm-7.2.0")]
    [InlineData(new[] { "rocm-+7.0", "rocm-6.4.3" }, "rocm-+7.0")]
    [InlineData(new[] { "rocm-4294967296.0", "rocm-1.0" }, "rocm-1.0")]
    [InlineData(new[] { "rocm-7..0", "rocm-6.0" }, "rocm-6.0")]
    public void NewestVersionedRocm_NumericComponentsShorterPrefixSmallerTieByName(string[] names, string expected)
    {
        foreach (string name in names)
        {
            Directory.CreateDirectory(Path.Combine(_opt, name));
        }

        Assert.Equal(Path.Combine(_opt, expected), AmdSmiLibrarySearch.NewestVersionedRocm(_opt));
    }

    [Fact]
    public void NewestVersionedRocm_SymlinkToDirectoryCountsAndPlainFileDoesNot()
    {
        Directory.CreateDirectory(Path.Combine(_opt, "rocm-6.3.0"));
        Directory.CreateDirectory(Path.Combine(_opt, "real"));
        File.CreateSymbolicLink(Path.Combine(_opt, "rocm-7.0.0"), Path.Combine(_opt, "real"));
        File.WriteAllText(Path.Combine(_opt, "rocm-9.0.0"), "");

        Assert.Equal(Path.Combine(_opt, "rocm-7.0.0"), AmdSmiLibrarySearch.NewestVersionedRocm(_opt));
    }

    [Fact]
    public void NewestVersionedRocm_MissingRoot_None()
    {
        Assert.Null(AmdSmiLibrarySearch.NewestVersionedRocm(Path.Combine(_opt, "absent")));
    }
}
