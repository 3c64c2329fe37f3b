using Zeusd.Configuration;
using Zeusd.Devices.Gpu;
using Zeusd.GpuWrites;

namespace Zeusd.Api.Legacy;

/// <summary>
/// The first API's GPU writes (zeusd ≤ 0.2, Zeus 0.10–0.13): <c>POST /gpu/{index}/set_power_limit</c> with a JSON body
/// <c>{"power_limit_mw":…,"block":…}</c>, and so on. A front end of the same <see cref="GpuWritePipeline"/> as the current
/// API, so both share each GPU's queue, the authorizer, hooks and audit; only the wire shapes differ: single-GPU text
/// error bodies, <c>GPU index 4 does not exist.</c> for an unknown GPU whether blocking or not.
/// </summary>
public sealed class LegacyGpuRoutes(GpuFleet gpus, GpuWritePipeline writes)
{
    public void Register(RouteTable routes)
    {
        Register(routes, GpuWriteOperation.SetPersistenceMode, LegacyBodySpec.SetPersistenceMode,
            static v => GpuWriteValues.Persistence(v[0] != 0));
        Register(routes, GpuWriteOperation.SetPowerLimit, LegacyBodySpec.SetPowerLimit,
            static v => GpuWriteValues.PowerLimit((uint)v[0]));
        Register(routes, GpuWriteOperation.SetGpuLockedClocks, LegacyBodySpec.SetGpuLockedClocks,
            static v => GpuWriteValues.Clocks((uint)v[0], (uint)v[1]));
        Register(routes, GpuWriteOperation.ResetGpuLockedClocks, LegacyBodySpec.ResetGpuLockedClocks, static _ => GpuWriteValues.None);
        Register(routes, GpuWriteOperation.SetMemLockedClocks, LegacyBodySpec.SetMemLockedClocks,
            static v => GpuWriteValues.Clocks((uint)v[0], (uint)v[1]));
        Register(routes, GpuWriteOperation.ResetMemLockedClocks, LegacyBodySpec.ResetMemLockedClocks, static _ => GpuWriteValues.None);
    }

    /// <summary>The body's last field is <c>block</c> in every legacy GPU write.</summary>
    private void Register(RouteTable routes, GpuWriteOperation operation, LegacyBodySpec body, Func<ulong[], GpuWriteValues> values)
    {
        routes.Post($"/gpu/{RouteTable.IndexSegment}/{operation.WireName()}", ApiGroup.GpuControl, async (context, caller) =>
        {
            if (await LegacyRequest.ReadIndexAsync(context) is not { } index
                || await LegacyRequest.ReadBodyAsync(context, body) is not { } fields)
            {
                return;
            }
            var response = context.Response;
            if (index >= (ulong)gpus.Count)
            {
                await Responses.Text(response, StatusCodes.Status400BadRequest, $"GPU index {index} does not exist.");
                return;
            }
            var command = new GpuWriteCommand(operation, [(int)index], values(fields), Block: fields[^1] != 0, context.Request.Path.Value!);
            var result = await writes.ExecuteAsync(command, caller);
            await (result.Denial is { } denial ? Responses.Text(response, StatusCodes.Status403Forbidden, denial)
                : result.Errors is [var error, ..] ? Responses.Text(response, HttpErrorMap.StatusOf(error.Kind), error.Message)
                : Responses.Empty(response));
        });
    }
}
