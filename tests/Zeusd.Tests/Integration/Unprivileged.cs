namespace Zeusd.Tests.Integration;

/// <summary>
/// Runs the daemon as an unprivileged user (nobody, uid 65534) through util-linux's setpriv.
/// <see cref="DaemonProcess"/> starts a daemon under <see cref="Prefix"/> from <see cref="Reachable"/>'s copy, because
/// nobody may not be able to reach the build output at all: a checkout below a mode-700 directory (as in /root) is
/// closed to every other user, and the .NET host then cannot even resolve its own executable.
/// </summary>
public static class Unprivileged
{
    public const int Uid = 65534;

    public static readonly string[] Prefix = ["setpriv", $"--reuid={Uid}", $"--regid={Uid}", "--clear-groups", "--"];

    private static readonly Dictionary<string, string> Staged = new(StringComparer.Ordinal);

    /// <summary>
    /// The path of <paramref name="binaryPath"/> inside a copy of its directory that nobody can traverse and read:
    /// one copy per directory and test run, in the temp directory, removed when the test run ends.
    /// </summary>
    public static string Reachable(string binaryPath)
    {
        string source = Path.GetDirectoryName(Path.GetFullPath(binaryPath))!;
        lock (Staged)
        {
            if (!Staged.TryGetValue(source, out string? copy))
            {
                copy = Stage(source);
                Staged[source] = copy;
            }
            return Path.Combine(copy, Path.GetFileName(binaryPath));
        }
    }

    private static string Stage(string source)
    {
        string temp = Path.GetFullPath(Path.GetTempPath());
        RequireTraversable(temp);
        string copy = Path.Combine(temp, "zeusd-unprivileged-" + Guid.NewGuid().ToString("N")[..12]);
        var open = (UnixFileMode)Convert.ToInt32("755", 8);
        Directory.CreateDirectory(copy, open);
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(copy, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!, open);
            File.Copy(file, target);
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(copy, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        return copy;
    }

    /// <summary>Fails with a clear message when the temp directory itself is closed to other users.</summary>
    private static void RequireTraversable(string directory)
    {
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            if ((dir.UnixFileMode & UnixFileMode.OtherExecute) == 0)
            {
                throw new InvalidOperationException(
                    $"{dir.FullName} is not searchable by other users, so uid {Uid} cannot run a daemon copied below " +
                    $"{directory}; point TMPDIR at a directory every user can reach (e.g. /tmp)");
            }
        }
    }
}
