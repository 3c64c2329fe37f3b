namespace Zeusd.Devices;

/// <summary>
/// Runs one operation on several devices at once, each through its own queue, and collects every device's result or
/// error. Writing the outcome as a response is the caller's concern.
/// </summary>
public static class DeviceFanOut
{
    /// <summary>Queues the operation on every device in <paramref name="ids"/> and waits for all of them.</summary>
    public static async Task<FanOutResult<TResult>> RunAsync<TDevice, TState, TResult>(
        IReadOnlyList<DeviceQueue<TDevice>> queues, int[] ids, TState state, Func<TDevice, TState, TResult> operation)
    {
        var tasks = new ValueTask<TResult>[ids.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            tasks[i] = queues[ids[i]].RunAsync(state, operation);
        }
        var results = new TResult[ids.Length];
        List<DeviceError>? errors = null;
        for (int i = 0; i < tasks.Length; i++)
        {
            try
            {
                results[i] = await tasks[i].ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                (errors ??= []).Add(DeviceError.From(ids[i], ex, queues[ids[i]].Name));
            }
        }
        return new FanOutResult<TResult>(ids, results, errors);
    }
}
