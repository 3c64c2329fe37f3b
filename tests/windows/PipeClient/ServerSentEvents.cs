namespace Zeusd.PipeClient;

/// <summary>Reads whole SSE events (the lines up to a blank line) from a response body.</summary>
public static class ServerSentEvents
{
    /// <summary>Writes each of the first <paramref name="count"/> events to <paramref name="output"/>; returns how many arrived.</summary>
    public static async Task<int> CopyAsync(Stream body, int count, TextWriter output, CancellationToken cancellation)
    {
        using var reader = new StreamReader(body);
        int events = 0;
        bool inEvent = false;
        while (events < count && await reader.ReadLineAsync(cancellation) is { } line)
        {
            if (line.Length == 0)
            {
                if (inEvent)
                {
                    events++;
                    inEvent = false;
                    await output.WriteAsync("\n");
                    await output.FlushAsync(cancellation);
                }
                continue;
            }
            inEvent = true;
            await output.WriteAsync(line + "\n");
        }
        return events;
    }
}
