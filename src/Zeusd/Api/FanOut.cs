using System.Text.Json;
using Zeusd.Devices;

namespace Zeusd.Api;

/// <summary>
/// Runs one operation on several devices at once, each through its own queue, and turns the outcome into a response:
/// the results when all succeeded, else the per-device errors with the worst status.
/// </summary>
public static class FanOut
{
    /// <summary>Queues the operation on every device in <paramref name="ids"/> and waits for all of them.</summary>
    public static async Task<Outcome<TResult>> RunAsync<TDevice, TState, TResult>(
        IReadOnlyList<DeviceQueue<TDevice>> queues, int[] ids, TState state, Func<TDevice, TState, TResult> operation)
    {
        var tasks = new ValueTask<TResult>[ids.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            tasks[i] = queues[ids[i]].RunAsync(state, operation);
        }
        var results = new TResult[ids.Length];
        List<(int Id, int Status, string Message)>? errors = null;
        for (int i = 0; i < tasks.Length; i++)
        {
            try
            {
                results[i] = await tasks[i].ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                var (status, message) = HttpErrorMap.Describe(ex, queues[ids[i]].Name);
                (errors ??= []).Add((ids[i], status, message));
            }
        }
        return new Outcome<TResult>(ids, results, errors);
    }

    /// <summary>The results of one fan-out, in the order of the ids.</summary>
    public sealed class Outcome<TResult>(int[] ids, TResult[] results, List<(int Id, int Status, string Message)>? errors)
    {
        public int[] Ids => ids;
        public TResult[] Results => results;
        public bool Failed => errors is not null;

        /// <summary><c>{"errors":{"&lt;id&gt;":"&lt;message&gt;"}}</c> with the numerically largest status.</summary>
        public Task WriteErrors(HttpResponse response) => Errors(response, errors!);
    }

    public static Task Errors(HttpResponse response, List<(int Id, int Status, string Message)> errors)
    {
        int status = errors.Max(e => e.Status);
        HttpErrorMap.AddHeaders(response, status);
        return Responses.Json(response, status, errors, static (writer, list) =>
        {
            writer.WriteStartObject();
            writer.WriteStartObject("errors"u8);
            foreach (var (id, _, message) in list)
            {
                writer.WriteString(IdKey(id), message);
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        });
    }

    private static readonly string[] SmallIds = [.. Enumerable.Range(0, 64).Select(i => i.ToString())];

    /// <summary>A device id as a JSON object key (decimal string), without allocating for common ids.</summary>
    public static string IdKey(int id) => (uint)id < (uint)SmallIds.Length ? SmallIds[id] : id.ToString();

    /// <summary>Writes <c>"&lt;id&gt;":{</c> for a per-device object.</summary>
    public static void StartDeviceObject(Utf8JsonWriter writer, int id) => writer.WriteStartObject(IdKey(id));
}
