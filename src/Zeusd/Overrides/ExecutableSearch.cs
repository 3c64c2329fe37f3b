using Zeusd.Interop.Libc;

namespace Zeusd.Overrides;

/// <summary>
/// Finds argv[0] as <c>execvp</c> does: a name with a slash is used as given; a bare name is looked up in each
/// <c>PATH</c> directory in order (<c>/bin:/usr/bin</c> when <c>PATH</c> is unset), and nowhere else.
/// </summary>
/// <remarks>
/// .NET's <c>Process.Start</c> would also try the daemon binary's directory and the working directory before
/// <c>PATH</c>; a privileged daemon must not run whatever file of that name happens to sit there.
/// </remarks>
public static class ExecutableSearch
{
    private const string DefaultPath = "/bin:/usr/bin";

    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>The file to execute, or null and the errno <c>execvp</c> would fail with.</summary>
    public static string? Resolve(string name, string? pathVariable, out Errno errno)
    {
        if (name.Length == 0)
        {
            errno = Errno.ENOENT;
            return null;
        }
        if (name.Contains('/'))
        {
            errno = default;
            return name;
        }
        bool sawUnexecutable = false;
        foreach (string directory in (pathVariable ?? DefaultPath).Split(Path.PathSeparator))
        {
            // An empty PATH entry means the working directory, as in every shell.
            string candidate = Path.Combine(directory.Length == 0 ? "." : directory, name);
            if (!File.Exists(candidate))
            {
                continue;
            }
            if (OperatingSystem.IsWindows() || (File.GetUnixFileMode(candidate) & AnyExecute) != 0)
            {
                errno = default;
                return candidate;
            }
            sawUnexecutable = true;
        }
        errno = sawUnexecutable ? Errno.EACCES : Errno.ENOENT;
        return null;
    }
}
