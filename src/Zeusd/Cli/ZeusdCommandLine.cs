using System.Reflection;
using System.CommandLine;
using Zeusd.Common;

namespace Zeusd.Cli;

/// <summary>
/// The command line: <c>serve</c> and <c>token issue</c>. Usage errors exit 2 with a message naming the flag;
/// runtime errors print <c>Error: &lt;message&gt;</c> and exit 1, as the original daemon does.
/// </summary>
public static class ZeusdCommandLine
{
    /// <summary>The version, from the one place it is set: <c>Version</c> in Directory.Build.props.</summary>
    public static string Version { get; } = typeof(ZeusdCommandLine).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

    public static RootCommand Create()
    {
        var root = new RootCommand(
            "The Zeus daemon runs with elevated privileges and lets unprivileged Zeus clients read and control the node's GPUs and CPUs.");
        // Replace the library's version option: the original prints "zeusd <version>" and also answers -V.
        for (int i = root.Options.Count - 1; i >= 0; i--)
        {
            if (root.Options[i] is VersionOption)
            {
                root.Options.RemoveAt(i);
            }
        }
        var version = new Option<bool>("--version", "-V") { Description = "Print version" };
        root.Options.Add(version);
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(TokenCommand.Create());
        root.Subcommands.Add(PolicyCommand.Create());
        // The first command line had no subcommands (`zeusd --socket-path ... --allow-unprivileged`): it still serves,
        // with every serve flag and the old default socket, so units and scripts written for zeusd <= 0.3 keep working.
        var legacyServe = ServeCommand.AddOptions(root, ServeCommand.LegacySocketPath, legacyCommandLine: true);
        root.SetAction((result, cancellation) =>
        {
            if (result.GetValue(version))
            {
                Console.Out.Write($"zeusd {Version}\n");
                return Task.FromResult(ExitCodes.Success);
            }
            return ServeCommand.RunAsync(legacyServe(result), cancellation);
        });
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var parse = Create().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteAsync($"error: {error.Message}\n");
            }
            await Console.Error.WriteAsync("\nFor more information, try '--help'.\n");
            return ExitCodes.UsageError;
        }
        try
        {
            // The host handles SIGTERM/SIGINT (graceful stop); the library's own handler would kill the process after 2 s.
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            });
        }
        catch (StartupException ex)
        {
            await Console.Error.WriteAsync($"Error: {ex.Message}\n");
            return ExitCodes.RuntimeError;
        }
        catch (Exception ex)
        {
            // Anything unforeseen still ends as a runtime error with its cause chain, never as an abort.
            var text = new System.Text.StringBuilder($"Error: {ex.Message}\n");
            if (ex.InnerException is not null)
            {
                text.Append("\nCaused by:\n");
                for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
                {
                    text.Append("    ").Append(inner.Message).Append('\n');
                }
            }
            await Console.Error.WriteAsync(text.ToString());
            return ExitCodes.RuntimeError;
        }
    }
}
