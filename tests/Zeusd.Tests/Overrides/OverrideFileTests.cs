using Zeusd.Common;
using Zeusd.Interop.Libc;
using Zeusd.Overrides;
using Zeusd.Tests.TestDoubles;
using Zeusd.Tests.Integration;

namespace Zeusd.Tests.Overrides;

/// <summary>File trust (checked on the opened file) and read errors. The suite runs as root, so root owns what it writes.</summary>
public sealed class OverrideFileTests : IDisposable
{
    private const string Content = "[set_power_limit]\ncommands = [\"pl {power_limit_w}\"]\n";
    private readonly OverrideWorkspace _workspace = new();
    private readonly CapturingLogger _log = new();

    public void Dispose() => _workspace.Dispose();

    private static UnixFileMode Mode(string octal) => (UnixFileMode)Convert.ToInt32(octal, 8);

    [Theory]
    [InlineData("644")]
    [InlineData("600")]
    [InlineData("400")]
    public void ReadTrusted_RootOwnedNotWritableByOthers_Reads(string mode)
    {
        string path = _workspace.WriteOverrides(Content, Mode(mode));

        Assert.Equal(Content, OverrideFile.ReadTrusted(path, _log));
        Assert.Empty(_log.Lines);
    }

    [Theory]
    [InlineData("666")]
    [InlineData("646")]
    [InlineData("602")]
    public void ReadTrusted_WorldWritable_IsRefused(string mode)
    {
        string path = _workspace.WriteOverrides(Content, Mode(mode));

        var error = Assert.Throws<StartupException>(() => OverrideFile.ReadTrusted(path, _log));

        Assert.Equal($"GPU command override file '{path}' is world-writable (mode {mode}); tighten its permissions (e.g. chmod 644) " +
            "because zeusd executes the commands it defines", error.Message);
    }

    [Fact]
    public void ReadTrusted_GroupWritable_ReadsWithAWarning()
    {
        string path = _workspace.WriteOverrides(Content, Mode("664"));

        Assert.Equal(Content, OverrideFile.ReadTrusted(path, _log));
        Assert.Equal([$"Warning: GPU command override file '{path}' is group-writable (mode 664); anyone in the group can change which commands zeusd executes"],
            _log.Lines);
    }

    [Fact]
    public void ReadTrusted_OwnedByAnotherUser_IsRefused()
    {
        string path = _workspace.WriteOverrides(Content);
        Posix.Chown(path, 65534, uint.MaxValue);

        var error = Assert.Throws<StartupException>(() => OverrideFile.ReadTrusted(path, _log));

        Assert.Equal($"GPU command override file '{path}' is owned by uid 65534; it must be owned by root or the user running zeusd " +
            $"(uid {Privileges.EffectiveUserId}) because zeusd executes the commands it defines", error.Message);
    }

    [Fact]
    public void ReadTrusted_TrustedSymlinkToAnUntrustedFile_ChecksTheFileItOpened()
    {
        string target = _workspace.WriteOverrides(Content, name: "theirs.toml");
        Posix.Chown(target, 65534, uint.MaxValue);
        string link = Path.Combine(_workspace.Directory, "overrides.toml");
        File.CreateSymbolicLink(link, target);

        var error = Assert.Throws<StartupException>(() => OverrideFile.ReadTrusted(link, _log));

        Assert.StartsWith($"GPU command override file '{link}' is owned by uid 65534;", error.Message);
    }

    [Fact]
    public void ReadTrusted_SymlinkToATrustedFile_ReadsIt()
    {
        string target = _workspace.WriteOverrides(Content, name: "real.toml");
        string link = Path.Combine(_workspace.Directory, "overrides.toml");
        File.CreateSymbolicLink(link, target);

        Assert.Equal(Content, OverrideFile.ReadTrusted(link, _log));
    }

    [Fact]
    public void ReadTrusted_MissingFile_SaysSoWithTheOsError()
    {
        string path = Path.Combine(_workspace.Directory, "absent.toml");

        var error = Assert.Throws<StartupException>(() => OverrideFile.ReadTrusted(path, _log));

        Assert.Equal($"Failed to read GPU command override file '{path}'\n\nCaused by:\n    No such file or directory (os error 2)", error.Message);
    }

    [Fact]
    public void ReadTrusted_Directory_IsADirectoryError()
    {
        var error = Assert.Throws<StartupException>(() => OverrideFile.ReadTrusted(_workspace.Directory, _log));

        Assert.Equal($"Failed to read GPU command override file '{_workspace.Directory}'\n\nCaused by:\n    Is a directory (os error 21)", error.Message);
    }

    [Fact]
    public void ReadTrusted_InvalidUtf8_IsRefused()
    {
        string path = _workspace.WriteOverrides("");
        File.WriteAllBytes(path, [0x5B, 0xFF, 0x5D]);

        var error = Assert.Throws<StartupException>(() => OverrideFile.ReadTrusted(path, _log));

        Assert.Equal($"Failed to read GPU command override file '{path}'\n\nCaused by:\n    stream did not contain valid UTF-8", error.Message);
    }

    [Fact]
    public void ReadTrusted_HugeFile_IsRefusedAsAWrongPath()
    {
        string path = _workspace.WriteOverrides(new string('#', OverrideFile.MaximumLength + 1));

        var error = Assert.Throws<StartupException>(() => OverrideFile.ReadTrusted(path, _log));

        Assert.StartsWith($"Failed to read GPU command override file '{path}'\n\nCaused by:\n    the file is larger than 1048576 bytes", error.Message);
    }

    [Fact]
    public void Load_ValidTrustedFile_ParsesIt()
    {
        string path = _workspace.WriteOverrides(Content);

        var overrides = GpuCommandOverrides.Load(path, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);

        Assert.Equal(["set_power_limit"], overrides.OverriddenOperationNames);
    }
}
