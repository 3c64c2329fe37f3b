using System.Text;

namespace Zeusd.Tests.Auth;

/// <summary>Signing key files for tests, written with an explicit mode.</summary>
public static class KeyFiles
{
    /// <summary>A 45-byte key as <c>openssl rand -base64 32</c> writes it (the trailing newline is part of the key).</summary>
    public static byte[] NewKey() => Encoding.ASCII.GetBytes(Convert.ToBase64String(Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray()) + "\n");

    public static string Write(string directory, byte[] bytes, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        string name = "zeusd.key")
    {
        string path = Path.Combine(directory, name);
        File.WriteAllBytes(path, bytes);
        File.SetUnixFileMode(path, mode);
        return path;
    }
}
