using System.Text.Json;
using Zeusd.Common;
using Zeusd.Configuration;
using Zeusd.Devices;
using Zeusd.Devices.Gpu;
using Zeusd.GpuWrites;

namespace Zeusd.Api;

/// <summary>
/// The <c>/gpu/*</c> query-string routes (streams live in <c>Streaming/</c>): writes are translated into a
/// <see cref="GpuWriteCommand"/> for the shared <see cref="GpuWritePipeline"/>; reads fan out over the GPUs' queues.
/// </summary>
public sealed class GpuRoutes(GpuFleet gpus, GpuWritePipeline writes, TimeProvider time)
{
    public void Register(RouteTable routes)
    {
        RegisterWrite(routes, GpuWriteOperation.SetPersistenceMode, GpuQuerySpecs.SetPersistenceMode,
            static q => GpuWriteValues.Persistence(q.Boolean(1)));
        RegisterWrite(routes, GpuWriteOperation.SetPowerLimit, GpuQuerySpecs.SetPowerLimit,
            static q => GpuWriteValues.PowerLimit(q.UInt32(1)));
        RegisterWrite(routes, GpuWriteOperation.SetGpuLockedClocks, GpuQuerySpecs.SetLockedClocks,
            static q => GpuWriteValues.Clocks(q.UInt32(1), q.UInt32(2)));
        RegisterWrite(routes, GpuWriteOperation.ResetGpuLockedClocks, GpuQuerySpecs.Reset, static _ => GpuWriteValues.None);
        RegisterWrite(routes, GpuWriteOperation.SetMemLockedClocks, GpuQuerySpecs.SetLockedClocks,
            static q => GpuWriteValues.Clocks(q.UInt32(1), q.UInt32(2)));
        RegisterWrite(routes, GpuWriteOperation.ResetMemLockedClocks, GpuQuerySpecs.Reset, static _ => GpuWriteValues.None);
        RegisterWrite(routes, GpuWriteOperation.ResetLockedClocks, GpuQuerySpecs.Reset, static _ => GpuWriteValues.None);

        routes.Get("/gpu/get_power", ApiGroup.GpuRead, GetPower);
        routes.Get("/gpu/get_cumulative_energy", ApiGroup.GpuRead, GetCumulativeEnergy);
        routes.Get("/gpu/get_power_limit", ApiGroup.GpuRead, GetPowerLimit);
        routes.Get("/gpu/get_power_limit_constraints", ApiGroup.GpuRead, GetPowerLimitConstraints);
        routes.Get("/gpu/get_persistence_mode", ApiGroup.GpuRead, GetPersistenceMode);
    }

    // ---- writes ----

    /// <summary><c>POST /gpu/&lt;operation&gt;?gpu_ids=...&amp;...&amp;block=...</c>; block is the spec's last field.</summary>
    private void RegisterWrite(RouteTable routes, GpuWriteOperation operation, QuerySpec spec, Func<QueryValues, GpuWriteValues> values)
    {
        string path = "/gpu/" + operation.WireName();
        routes.Post(path, ApiGroup.GpuControl, async (context, caller) =>
        {
            if (DeviceQuery.Parse(context, spec, DeviceKind.Gpu, gpus.AllIds, IdListRule.Write, out var query, out var ids) is { } error)
            {
                await error;
                return;
            }
            var command = new GpuWriteCommand(operation, ids, values(query), query.Boolean(spec.Names.Length - 1), path);
            await WriteResult(context.Response, await writes.ExecuteAsync(command, caller));
        });
    }

    /// <summary>200 with no body; 403 JSON when refused; the per-GPU errors otherwise.</summary>
    public static Task WriteResult(HttpResponse response, GpuWriteResult result) =>
        result.Denial is { } denial ? Responses.Error(response, StatusCodes.Status403Forbidden, denial)
        : result.Errors is { } errors ? DeviceErrorResponse.Write(response, errors)
        : Responses.Empty(response);

    // ---- reads ----

    public async Task GetPower(HttpContext context)
    {
        if (await ReadAll(context, static (gpu, _) => gpu.GetInstantPower()) is not { } outcome)
        {
            return;
        }
        ulong timestamp = UnixTime.Milliseconds(time);
        await Responses.Json(context.Response, StatusCodes.Status200OK, (outcome, timestamp), static (writer, state) =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("timestamp_ms"u8, state.timestamp);
            writer.WriteStartObject("power_mw"u8);
            for (int i = 0; i < state.outcome.Ids.Length; i++)
            {
                writer.WriteNumber(DeviceJson.IdKey(state.outcome.Ids[i]), state.outcome.Results[i]);
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        });
    }

    public Task GetCumulativeEnergy(HttpContext context) => ReadEach(context,
        static (gpu, _) => gpu.GetTotalEnergyConsumption(),
        static (writer, energy) => writer.WriteNumber("energy_mj"u8, energy));

    public Task GetPowerLimit(HttpContext context) => ReadEach(context,
        static (gpu, _) => gpu.GetPowerLimit(),
        static (writer, limit) => writer.WriteNumber("power_limit_mw"u8, limit));

    public Task GetPowerLimitConstraints(HttpContext context) => ReadEach(context,
        static (gpu, _) => gpu.GetPowerLimitConstraints(),
        static (writer, range) =>
        {
            writer.WriteNumber("min_power_limit_mw"u8, range.MinMilliwatts);
            writer.WriteNumber("max_power_limit_mw"u8, range.MaxMilliwatts);
        });

    public Task GetPersistenceMode(HttpContext context) => ReadEach(context,
        static (gpu, _) => gpu.GetPersistenceMode(),
        static (writer, enabled) => writer.WriteBoolean("enabled"u8, enabled));

    /// <summary>A read answered as <c>{"&lt;id&gt;":{...fields...}}</c>, keys ascending.</summary>
    private async Task ReadEach<TResult>(HttpContext context, Func<IGpu, int, TResult> read, Action<Utf8JsonWriter, TResult> writeFields)
    {
        if (await ReadAll(context, read) is not { } outcome)
        {
            return;
        }
        await Responses.Json(context.Response, StatusCodes.Status200OK, (outcome, writeFields), static (writer, state) =>
        {
            writer.WriteStartObject();
            for (int i = 0; i < state.outcome.Ids.Length; i++)
            {
                DeviceJson.StartDeviceObject(writer, state.outcome.Ids[i]);
                state.writeFields(writer, state.outcome.Results[i]);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        });
    }

    /// <summary>Runs a read on the requested GPUs; on any failure writes the error and returns null.</summary>
    private async Task<FanOutResult<TResult>?> ReadAll<TResult>(HttpContext context, Func<IGpu, int, TResult> read)
    {
        if (DeviceQuery.Parse(context, GpuQuerySpecs.Read, DeviceKind.Gpu, gpus.AllIds, IdListRule.Read, out _, out var ids) is { } error)
        {
            await error;
            return null;
        }
        var outcome = await DeviceFanOut.RunAsync(gpus.Queues, ids, 0, read);
        if (outcome.Failed)
        {
            await DeviceErrorResponse.Write(context.Response, outcome.Errors!);
            return null;
        }
        return outcome;
    }
}
