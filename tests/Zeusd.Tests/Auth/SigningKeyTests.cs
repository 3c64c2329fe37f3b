using System.Text;
using Zeusd.Auth;
using Zeusd.Tests.Integration;
using Zeusd.Common;

namespace Zeusd.Tests.Auth;

public sealed class SigningKeyTests : IDisposable
{
    private readonly string _dir = DaemonProcess.NewTempDirectory();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Load_OwnerOnlyFile_KeepsRawBytesIncludingTheTrailingNewline()
    {
        byte[] bytes = Encoding.ASCII.GetBytes("q3Vh1X2g0cT1m9mJ9tq5w0hW7rSgk4uQb0a1Vv2xYzA=\n");

        var key = SigningKey.Load(KeyFiles.Write(_dir, bytes));

        Assert.Equal(bytes, key.Bytes);
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute)]
    public void Load_StricterThan600_IsAccepted(UnixFileMode mode)
    {
        Assert.Equal(45, SigningKey.Load(KeyFiles.Write(_dir, KeyFiles.NewKey(), mode)).Bytes.Length);
    }

    [Theory]
    [InlineData("644", "0644")]
    [InlineData("640", "0640")]
    [InlineData("604", "0604")]
    [InlineData("660", "0660")]
    [InlineData("602", "0602")]
    [InlineData("601", "0601")]
    public void Load_AccessibleToGroupOrOthers_IsRefusedNamingModeAndFix(string octal, string shown)
    {
        string path = KeyFiles.Write(_dir, KeyFiles.NewKey(), (UnixFileMode)Convert.ToInt32(octal, 8));

        var error = Assert.Throws<StartupException>(() => SigningKey.Load(path));

        Assert.Equal($"Signing key file '{path}' is readable or writable by group or others (mode {shown}); restrict it with: chmod 600 '{path}'",
            error.Message);
    }

    [Fact]
    public void Load_Missing_SaysFailedToReadWithTheOsError()
    {
        string path = Path.Combine(_dir, "absent.key");

        var error = Assert.Throws<StartupException>(() => SigningKey.Load(path));

        Assert.Equal($"Failed to read signing key from '{path}': No such file or directory (os error 2)", error.Message);
    }

    [Fact]
    public void Load_Directory_SaysFailedToRead()
    {
        var error = Assert.Throws<StartupException>(() => SigningKey.Load(_dir));

        Assert.Equal($"Failed to read signing key from '{_dir}': Is a directory (os error 21)", error.Message);
    }

    [Fact]
    public void Load_Empty_IsRefused()
    {
        string path = KeyFiles.Write(_dir, []);

        Assert.Equal($"Signing key file '{path}' is empty", Assert.Throws<StartupException>(() => SigningKey.Load(path)).Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(31)]
    public void Load_ShorterThan32Bytes_IsRefused(int length)
    {
        string path = KeyFiles.Write(_dir, new byte[length]);

        var error = Assert.Throws<StartupException>(() => SigningKey.Load(path));

        Assert.StartsWith($"Signing key file '{path}' is too short ({length} bytes); an HS256 key needs at least 32 bytes.", error.Message);
    }

    [Fact]
    public void Load_Exactly32Bytes_IsAccepted()
    {
        Assert.Equal(32, SigningKey.Load(KeyFiles.Write(_dir, new byte[32])).Bytes.Length);
    }

    [Fact]
    public void Load_HugeFile_IsRefused()
    {
        string path = KeyFiles.Write(_dir, new byte[SigningKey.MaximumLength + 1]);

        Assert.StartsWith($"Signing key file '{path}' is larger than", Assert.Throws<StartupException>(() => SigningKey.Load(path)).Message);
    }
}
