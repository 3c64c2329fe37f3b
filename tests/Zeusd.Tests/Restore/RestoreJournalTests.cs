using Zeusd.Common;
using Zeusd.Restore;
using Zeusd.Tests.Integration;
using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Restore;

public sealed class RestoreJournalTests : IDisposable
{
    private readonly string _root = DaemonProcess.NewTempDirectory();
    private readonly CapturingLogger _logger = new();

    private string StateDir => Path.Combine(_root, "state");

    private static ChangeRecord Record(string pci = "0000:17:00.0", RestorableSetting setting = RestorableSetting.PowerLimit) =>
        new(0, pci, setting, 300_000, "200000 mW", 1_762_000_000_000, new SettingOwner(1234, 987654, 1000, "alice", "job-7"));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Open_MissingDirectory_CreatesItOwnerOnly()
    {
        RestoreJournal.Open(StateDir, _logger);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(StateDir));
    }

    [Fact]
    public void Save_ThenLoad_ReadsTheSameRecordFromAnOwnerOnlyFile()
    {
        var journal = RestoreJournal.Open(StateDir, _logger);
        var record = Record();

        journal.Save(record);
        journal.Save(record with { Current = "250000 mW" });

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(journal.PathOf(record)));
        Assert.Equal([Path.GetFileName(journal.PathOf(record))], Directory.GetFiles(StateDir).Select(Path.GetFileName));
        var loaded = Assert.Single(RestoreJournal.Open(StateDir, _logger).Load());
        Assert.Equal(record with { Current = "250000 mW" }, loaded);
    }

    [Fact]
    public void Delete_RemovesTheRecord_AndAMissingOneIsNoError()
    {
        var journal = RestoreJournal.Open(StateDir, _logger);
        journal.Save(Record());

        journal.Delete(Record());
        journal.Delete(Record());

        Assert.Empty(journal.Load());
    }

    [Fact]
    public void Load_TemporaryFileOfACrashedWrite_IsRemovedAndTheRecordKept()
    {
        var journal = RestoreJournal.Open(StateDir, _logger);
        journal.Save(Record());
        File.WriteAllText(journal.PathOf(Record()) + ".tmp", "{\"version\":1,\"gpu");

        var loaded = journal.Load();

        Assert.Equal(Record(), Assert.Single(loaded));
        Assert.False(File.Exists(journal.PathOf(Record()) + ".tmp"));
    }

    [Theory]
    [InlineData("{\"version\":1,\"gpu")]
    [InlineData("{\"version\":2,\"gpu_index\":0}")]
    [InlineData("[]")]
    [InlineData("")]
    public void Load_UnreadableRecord_IsWarnedAboutAndLeftInPlace(string content)
    {
        var journal = RestoreJournal.Open(StateDir, _logger);
        string path = journal.PathOf(Record());
        File.WriteAllText(path, content);

        Assert.Empty(journal.Load());

        Assert.True(File.Exists(path));
        Assert.Contains(_logger.Lines, l => l.StartsWith("Warning: Ignoring " + path, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_RecordUnderAnotherGpusName_IsNotTrusted()
    {
        var journal = RestoreJournal.Open(StateDir, _logger);
        journal.Save(Record());
        File.Move(journal.PathOf(Record()), journal.PathOf(Record("0000:27:00.0")));

        Assert.Empty(journal.Load());
    }

    [Fact]
    public void Load_SymbolicLinkAsRecord_IsNotFollowed()
    {
        var journal = RestoreJournal.Open(StateDir, _logger);
        string elsewhere = Path.Combine(_root, "elsewhere.json");
        File.WriteAllBytes(elsewhere, ChangeRecordJson.Encode(Record()));
        File.CreateSymbolicLink(journal.PathOf(Record()), elsewhere);

        Assert.Empty(journal.Load());
    }

    [Fact]
    public void Open_DirectoryWritableByOthers_IsRefused()
    {
        Directory.CreateDirectory(StateDir);
        File.SetUnixFileMode(StateDir, (UnixFileMode)Convert.ToInt32("777", 8));

        var error = Assert.Throws<StartupException>(() => RestoreJournal.Open(StateDir, _logger));

        Assert.Equal($"The state directory {StateDir} is writable by other users (mode 777); use 0700", error.Message);
    }

    [Fact]
    public void Open_SymbolicLinkToADirectory_IsRefused()
    {
        string real = Path.Combine(_root, "real");
        Directory.CreateDirectory(real);
        Directory.CreateSymbolicLink(StateDir, real);

        var error = Assert.Throws<StartupException>(() => RestoreJournal.Open(StateDir, _logger));

        Assert.Contains("is not a directory", error.Message);
    }

    [Fact]
    public void Save_TemporaryNameIsASymbolicLink_NeverWritesThroughIt()
    {
        var journal = RestoreJournal.Open(StateDir, _logger);
        string target = Path.Combine(_root, "target");
        File.WriteAllText(target, "keep");
        File.CreateSymbolicLink(journal.PathOf(Record()) + ".tmp", target);

        journal.Save(Record());

        Assert.Equal("keep", File.ReadAllText(target));
        Assert.Equal(Record(), Assert.Single(journal.Load()));
    }

    [Theory]
    [InlineData("0000:17:00.0", RestorableSetting.PowerLimit, "gpu-0000-17-00.0.power_limit_mw.json")]
    [InlineData("0001:CA:00.0", RestorableSetting.MemLockedClocks, "gpu-0001-ca-00.0.mem_locked_clocks.json")]
    [InlineData("../../etc/x", RestorableSetting.PersistenceMode, "gpu-..-..-etc-x.persistence_mode.json")]
    public void FileName_PciAddress_BecomesOneSafeName(string pci, RestorableSetting setting, string expected)
    {
        Assert.Equal(expected, RestoreJournal.FileName(pci, setting));
    }
}
