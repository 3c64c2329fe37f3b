using Zeusd.Policy;
using Zeusd.Tests.Integration;
using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Policy;

/// <summary>
/// The policy file's trust checks, made on the open descriptor: owner root or the daemon's user, not writable by others
/// or by a non-root group, a regular file. The tests run as root, so "the daemon's user" is root here.
/// </summary>
public sealed class TrustedFileTests : IDisposable
{
    private const string Valid = "[[grant]]\nname = \"a\"\nusers = [1]\nscopes = [\"gpu-read\"]\n";

    private readonly string _dir = DaemonProcess.NewTempDirectory();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Error(string path) => Assert.Throws<PolicyException>(() => AccessPolicy.Load(path)).Message;

    [Fact]
    public void Load_RootOwned644_Loads()
    {
        Assert.Single(AccessPolicy.Load(PolicyFiles.Write(_dir, Valid)).Grants);
    }

    [Fact]
    public void Load_OwnedByAnotherUser_Refused()
    {
        string path = PolicyFiles.Write(_dir, Valid);
        File.SetUnixFileMode(path, PolicyFiles.Mode644);
        Posix.Chown(path, 65534, 65534);

        Assert.Equal($"policy file '{path}' is owned by uid 65534; it must be owned by root or by the daemon's user (uid 0)", Error(path));
    }

    [Fact]
    public void Load_WorldWritable_Refused()
    {
        string path = PolicyFiles.Write(_dir, Valid, mode: PolicyFiles.Mode644 | UnixFileMode.OtherWrite);

        Assert.Equal($"policy file '{path}' is writable by others (mode 0646); restrict it with: chmod o-w '{path}'", Error(path));
    }

    [Fact]
    public void Load_WritableByNonRootGroup_RefusedButRootGroupIsFine()
    {
        string path = PolicyFiles.Write(_dir, Valid, mode: PolicyFiles.Mode644 | UnixFileMode.GroupWrite);
        Assert.Single(AccessPolicy.Load(path).Grants);

        Posix.Chown(path, 0, 2000);

        Assert.Equal($"policy file '{path}' is writable by group 2000 (mode 0664); restrict it with: chmod g-w '{path}'", Error(path));
    }

    [Fact]
    public void Load_Directory_Refused()
    {
        Assert.StartsWith("cannot open policy file", Error(_dir));
    }

    [Fact]
    public void Load_SymlinkToTrustedFile_ChecksTheTarget()
    {
        string target = PolicyFiles.Write(_dir, Valid);
        string link = Path.Combine(_dir, "link.toml");
        File.CreateSymbolicLink(link, target);
        Assert.Single(AccessPolicy.Load(link).Grants);

        File.SetUnixFileMode(target, PolicyFiles.Mode644 | UnixFileMode.OtherWrite);

        Assert.Contains("is writable by others", Error(link));
    }

    [Fact]
    public void Load_CharacterDevice_RefusedAsNotARegularFile()
    {
        Assert.Equal("policy file '/dev/null' is not a regular file", Error("/dev/null"));
    }

    [Fact]
    public void Load_NotUtf8_Refused()
    {
        string path = PolicyFiles.Write(_dir, "");
        File.WriteAllBytes(path, [0xff, 0xfe, 0x00]);

        Assert.StartsWith($"cannot read policy file '{path}': ", Error(path));
    }
}
