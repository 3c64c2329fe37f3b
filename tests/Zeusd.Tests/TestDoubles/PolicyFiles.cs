namespace Zeusd.Tests.TestDoubles;

/// <summary>Policy files for tests: written with an explicit mode (and owner), as an admin would install them.</summary>
public static class PolicyFiles
{
    public const UnixFileMode Mode644 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public static string Write(string directory, string toml, string name = "policy.toml", UnixFileMode mode = Mode644)
    {
        string path = Path.Combine(directory, name);
        File.WriteAllText(path, toml);
        File.SetUnixFileMode(path, mode);
        return path;
    }

    /// <summary>Replaces a policy file's content in one step (a rename), as editors and config management do.</summary>
    public static void Replace(string path, string toml)
    {
        string temporary = path + ".new";
        File.WriteAllText(temporary, toml);
        File.SetUnixFileMode(temporary, Mode644);
        File.Move(temporary, path, overwrite: true);
    }
}
