using System.Text.Json;
using Microsoft.Extensions.Logging;
using Zeusd.Devices;
using Zeusd.Devices.Gpu;
using Zeusd.Configuration;

namespace Zeusd.Api;

/// <summary>The <c>/gpu/*</c> control and read endpoints (streams live in <c>Streaming/</c>).</summary>
public sealed partial class GpuRoutes(GpuFleet gpus, TimeProvider time, ILogger<GpuRoutes> logger)
{
    public void Register(RouteTable routes, IReadOnlyCollection<ApiGroup> enabled)
    {
        if (enabled.Contains(ApiGroup.GpuControl))
        {
            routes.Post("/gpu/set_persistence_mode", SetPersistenceMode);
            routes.Post("/gpu/set_power_limit", SetPowerLimit);
            routes.Post("/gpu/set_gpu_locked_clocks", SetGpuLockedClocks);
            routes.Post("/gpu/reset_gpu_locked_clocks", ResetGpuLockedClocks);
            routes.Post("/gpu/set_mem_locked_clocks", SetMemLockedClocks);
            routes.Post("/gpu/reset_mem_locked_clocks", ResetMemLockedClocks);
            routes.Post("/gpu/reset_locked_clocks", ResetLockedClocks);
        }
        if (enabled.Contains(ApiGroup.GpuRead))
        {
            routes.Get("/gpu/get_power", GetPower);
            routes.Get("/gpu/get_cumulative_energy", GetCumulativeEnergy);
            routes.Get("/gpu/get_power_limit", GetPowerLimit);
            routes.Get("/gpu/get_power_limit_constraints", GetPowerLimitConstraints);
            routes.Get("/gpu/get_persistence_mode", GetPersistenceMode);
        }
    }

    // ---- writes ----

    public Task SetPersistenceMode(HttpContext context) => Write(context, GpuQuerySpecs.SetPersistenceMode,
        static q => new GpuSetting(q.Boolean(1) ? 1u : 0u, 0), static (gpu, s) => gpu.SetPersistenceMode(s.First != 0),
        "set_persistence_mode");

    public Task SetPowerLimit(HttpContext context) => Write(context, GpuQuerySpecs.SetPowerLimit,
        static q => new GpuSetting(q.UInt32(1), 0), static (gpu, s) => gpu.SetPowerLimit(s.First), "set_power_limit");

    public Task SetGpuLockedClocks(HttpContext context) => Write(context, GpuQuerySpecs.SetLockedClocks,
        static q => new GpuSetting(q.UInt32(1), q.UInt32(2)), static (gpu, s) => gpu.SetGpuLockedClocks(s.First, s.Second),
        "set_gpu_locked_clocks");

    public Task ResetGpuLockedClocks(HttpContext context) => Write(context, GpuQuerySpecs.Reset,
        static _ => default, static (gpu, _) => gpu.ResetGpuLockedClocks(), "reset_gpu_locked_clocks");

    public Task SetMemLockedClocks(HttpContext context) => Write(context, GpuQuerySpecs.SetLockedClocks,
        static q => new GpuSetting(q.UInt32(1), q.UInt32(2)), static (gpu, s) => gpu.SetMemoryLockedClocks(s.First, s.Second),
        "set_mem_locked_clocks");

    public Task ResetMemLockedClocks(HttpContext context) => Write(context, GpuQuerySpecs.Reset,
        static _ => default, static (gpu, _) => gpu.ResetMemoryLockedClocks(), "reset_mem_locked_clocks");

    public Task ResetLockedClocks(HttpContext context) => Write(context, GpuQuerySpecs.Reset,
        static _ => default, static (gpu, _) => GpuOperations.ResetLockedClocks(gpu), "reset_locked_clocks");

    /// <summary>
    /// The shared path of every write: query (400 text) → id list (400 JSON) → range (400 text) → dispatch to each
    /// GPU's queue. <c>block=true</c> waits for every GPU; <c>block=false</c> answers once the commands are queued.
    /// </summary>
    private async Task Write(HttpContext context, QuerySpec spec, Func<QueryValues, GpuSetting> readSetting,
        Action<IGpu, GpuSetting> operation, string command)
    {
        var response = context.Response;
        if (QueryParser.TryParse(spec, context.Request.QueryString.Value, out var query) is { } queryError)
        {
            await Responses.QueryError(response, queryError);
            return;
        }
        if (DeviceIdList.TryParse(query.Text(0)!, DeviceKind.Gpu, out var requested) is { } idError)
        {
            await Responses.Error(response, StatusCodes.Status400BadRequest, idError);
            return;
        }
        if (DeviceIdList.CheckWriteRange(requested, gpus.Count, DeviceKind.Gpu, out var ids) is { } rangeError)
        {
            await Responses.Text(response, StatusCodes.Status400BadRequest, rangeError);
            return;
        }
        var setting = readSetting(query);
        bool block = query.Boolean(spec.Names.Length - 1);
        // The audit trail: who changed what. Authenticated changes are logged at info; without authentication there is
        // no user to name, and a line per request at the default level would cost more than the request itself
        // (BENCHMARKS.md), so those are logged at debug.
        var auditLevel = Caller.IsAuthenticated(context) ? LogLevel.Information : LogLevel.Debug;
        if (logger.IsEnabled(auditLevel))
        {
            Log.ControlRequest(logger, auditLevel, Caller.Describe(context), command, string.Join(',', ids),
                context.Request.QueryString.Value ?? "", block);
        }

        if (block)
        {
            var outcome = await FanOut.RunAsync(gpus.Queues, ids, (operation, setting),
                static (gpu, state) => { state.operation(gpu, state.setting); return true; });
            await (outcome.Failed ? outcome.WriteErrors(response) : Responses.Empty(response));
            return;
        }

        List<(int, int, string)>? errors = null;
        foreach (int id in ids)
        {
            try
            {
                gpus.Queues[id].Post((operation, setting), static (gpu, state) => state.operation(gpu, state.setting), command);
            }
            catch (DeviceException ex)
            {
                (errors ??= []).Add((id, HttpErrorMap.StatusOf(ex.Kind), ex.Message));
            }
        }
        await (errors is null ? Responses.Empty(response) : FanOut.Errors(response, errors));
    }

    // ---- reads ----

    public async Task GetPower(HttpContext context)
    {
        if (await ReadIds(context) is not { } ids)
        {
            return;
        }
        var outcome = await FanOut.RunAsync(gpus.Queues, ids, 0, static (gpu, _) => gpu.GetInstantPower());
        if (outcome.Failed)
        {
            await outcome.WriteErrors(context.Response);
            return;
        }
        ulong timestamp = UnixMilliseconds(time);
        await Responses.Json(context.Response, StatusCodes.Status200OK, (outcome, timestamp), static (writer, state) =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("timestamp_ms"u8, state.timestamp);
            writer.WriteStartObject("power_mw"u8);
            for (int i = 0; i < state.outcome.Ids.Length; i++)
            {
                writer.WriteNumber(FanOut.IdKey(state.outcome.Ids[i]), state.outcome.Results[i]);
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
        if (await ReadIds(context) is not { } ids)
        {
            return;
        }
        var outcome = await FanOut.RunAsync(gpus.Queues, ids, 0, read);
        if (outcome.Failed)
        {
            await outcome.WriteErrors(context.Response);
            return;
        }
        await Responses.Json(context.Response, StatusCodes.Status200OK, (outcome, writeFields), static (writer, state) =>
        {
            writer.WriteStartObject();
            for (int i = 0; i < state.outcome.Ids.Length; i++)
            {
                FanOut.StartDeviceObject(writer, state.outcome.Ids[i]);
                state.writeFields(writer, state.outcome.Results[i]);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        });
    }

    /// <summary>Parses a read endpoint's optional <c>gpu_ids</c>; on failure writes the error and returns null.</summary>
    private async ValueTask<int[]?> ReadIds(HttpContext context)
    {
        var response = context.Response;
        if (QueryParser.TryParse(GpuQuerySpecs.Read, context.Request.QueryString.Value, out var query) is { } queryError)
        {
            await Responses.QueryError(response, queryError);
            return null;
        }
        if (DeviceIdList.ResolveRead(query.Text(0), gpus.AllIds, DeviceKind.Gpu, out var ids) is { } error)
        {
            await Responses.Error(response, StatusCodes.Status400BadRequest, error);
            return null;
        }
        return ids;
    }

    public static ulong UnixMilliseconds(TimeProvider time) => (ulong)Math.Max(0, time.GetUtcNow().ToUnixTimeMilliseconds());

    /// <summary>The values of one write command, whatever its kind (a limit, a clock range, a flag).</summary>
    private readonly record struct GpuSetting(uint First, uint Second);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Message = "{Caller} {Command} on GPUs [{Gpus}] ({Query}), block={Block}")]
        public static partial void ControlRequest(ILogger logger, LogLevel level, string caller, string command, string gpus, string query, bool block);
    }
}
