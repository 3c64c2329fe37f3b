using System.CommandLine;
using Zeusd.PipeClient;

// pipe-client [--pipe NAME] [--method GET|POST] [--headers] [--events N] [--timeout S] PATH
// Prints the status line ("HTTP/1.1 200 OK"), the headers when asked, then the body, or with --events the first N
// server-sent events, after which it disconnects. Exit codes: 0 a response arrived (whatever its status) or N events
// did; 1 usage (System.CommandLine's parse errors); 3 transport failure; 4 timed out; 5 the stream ended before N events.
var pipe = new Option<string>("--pipe") { Description = @"Pipe name (\\.\pipe\NAME or NAME)", DefaultValueFactory = _ => @"\\.\pipe\zeusd" };
var method = new Option<string>("--method") { Description = "GET or POST", DefaultValueFactory = _ => "GET" };
method.AcceptOnlyFromAmong("GET", "POST");
var headers = new Option<bool>("--headers") { Description = "Print the response headers after the status line" };
var events = new Option<int?>("--events") { Description = "Read this many server-sent events, then disconnect" };
var timeout = new Option<double>("--timeout") { Description = "Seconds for the whole exchange, connect included", DefaultValueFactory = _ => 10 };
var path = new Argument<string>("path") { Description = "Request target, e.g. /discover or /gpu/get_power?gpu_ids=0" };

var root = new RootCommand("HTTP/1.1 over a Windows named pipe, for the zeusd Windows smoke test") { pipe, method, headers, events, timeout, path };
root.SetAction(async (result, _) =>
{
    var limit = TimeSpan.FromSeconds(result.GetValue(timeout));
    using var deadline = new CancellationTokenSource(limit);
    var connector = new PipeConnector(result.GetValue(pipe)!, limit);
    using var http = new HttpClient(connector.CreateHandler()) { Timeout = Timeout.InfiniteTimeSpan };
    var target = result.GetValue(path)!;
    using var request = new HttpRequestMessage(new HttpMethod(result.GetValue(method)!), new Uri("http://localhost" + target))
    {
        Version = System.Net.HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };
    int? wanted = result.GetValue(events);
    try
    {
        using var response = await http.SendAsync(request,
            wanted is null ? HttpCompletionOption.ResponseContentRead : HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        var stdout = Console.Out;
        await stdout.WriteAsync($"HTTP/{response.Version} {(int)response.StatusCode} {response.ReasonPhrase}\n");
        if (result.GetValue(headers))
        {
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                await stdout.WriteAsync($"{name}: {string.Join(", ", values)}\n");
            }
            await stdout.WriteAsync("\n");
        }
        if (wanted is not int count)
        {
            await stdout.WriteAsync(await response.Content.ReadAsStringAsync(deadline.Token));
            await stdout.FlushAsync();
            return 0;
        }
        await using var body = await response.Content.ReadAsStreamAsync(deadline.Token);
        int arrived = await ServerSentEvents.CopyAsync(body, count, stdout, deadline.Token);
        await stdout.FlushAsync();
        if (arrived < count)
        {
            await Console.Error.WriteAsync($"pipe-client: the stream ended after {arrived} of {count} events\n");
            return 5;
        }
        return 0;
    }
    catch (OperationCanceledException) when (deadline.IsCancellationRequested)
    {
        await Console.Error.WriteAsync($"pipe-client: no complete answer from {connector.BareName} within {limit.TotalSeconds} s\n");
        return 4;
    }
    catch (Exception ex) when (ex is HttpRequestException or IOException or TimeoutException)
    {
        await Console.Error.WriteAsync($"pipe-client: {target} over pipe {connector.BareName}: {ex.GetType().Name}: {ex.Message}\n");
        return 3;
    }
});
return await root.Parse(args).InvokeAsync();
