namespace Zeusd.Tests.Hosting;

/// <summary>
/// A command prefix that runs a program as on a machine without .NET: in a private mount namespace, an empty tmpfs
/// hides the .NET installation (the apphost's default search location), and <c>env -i</c> clears the environment
/// (no PATH, no DOTNET_ROOT) except for the variables given. Needs root, as the other integration tests do.
/// </summary>
public static class NoDotnetSandbox
{
    /// <summary>Where this test host's .NET lives: shared/Microsoft.NETCore.App/&lt;version&gt;/ is three levels below.</summary>
    public static string DotnetRoot { get; } =
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));

    public static string[] Prefix(IDictionary<string, string>? keep = null)
    {
        string assignments = string.Join(' ', (keep ?? new Dictionary<string, string>()).Select(kv => $"'{kv.Key}={kv.Value}'"));
        return
        [
            "unshare", "--mount", "--propagation", "private", "--",
            "sh", "-c", $"mount -t tmpfs tmpfs '{DotnetRoot}' && exec env -i {assignments} \"$@\"", "sh",
        ];
    }
}
