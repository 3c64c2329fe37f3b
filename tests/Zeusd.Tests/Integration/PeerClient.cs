using System.Diagnostics;

namespace Zeusd.Tests.Integration;

/// <summary>
/// HTTP over the daemon's Unix socket from another process with other credentials: <c>curl --unix-socket</c> started
/// through <c>setpriv</c> (or as root when no user is given). A new connection per request, as the peer's credentials
/// are the connection's.
/// </summary>
public static class PeerClient
{
    public static async Task<(int Status, string Body)> SendAsync(string socketPath, PeerUser? user, string method, string pathAndQuery,
        string? token = null)
    {
        var info = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var args = new List<string>();
        if (user is not null)
        {
            args.AddRange(user.Prefix);
        }
        args.AddRange(["curl", "-sS", "--unix-socket", socketPath, "-X", method, "-w", "\n%{http_code}"]);
        if (token is not null)
        {
            args.AddRange(["-H", $"Authorization: Bearer {token}"]);
        }
        args.Add("http://localhost" + pathAndQuery);
        info.FileName = args[0];
        foreach (var arg in args.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(timeout.Token);
        string output = await stdout;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', args)} exited {process.ExitCode}: {await stderr}");
        }
        int newline = output.LastIndexOf('\n');
        return (int.Parse(output[(newline + 1)..]), output[..newline]);
    }

    public static Task<(int Status, string Body)> GetAsync(string socketPath, PeerUser? user, string pathAndQuery, string? token = null) =>
        SendAsync(socketPath, user, "GET", pathAndQuery, token);

    public static Task<(int Status, string Body)> PostAsync(string socketPath, PeerUser? user, string pathAndQuery, string? token = null) =>
        SendAsync(socketPath, user, "POST", pathAndQuery, token);
}
