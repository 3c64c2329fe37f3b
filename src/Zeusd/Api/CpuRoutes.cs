using System.Text.Json;
using Zeusd.Devices;
using Zeusd.Devices.Cpu;

namespace Zeusd.Api;

/// <summary>The <c>/cpu/*</c> read endpoints (streams live in <c>Streaming/</c>).</summary>
public sealed class CpuRoutes(CpuFleet cpus, TimeProvider time, TimeSpan powerSamplingPeriod)
{
    public void Register(RouteTable routes)
    {
        routes.Get("/cpu/get_cumulative_energy", GetCumulativeEnergy);
        routes.Get("/cpu/get_power", GetPower);
    }

    public async Task GetCumulativeEnergy(HttpContext context)
    {
        if (QueryParser.TryParse(CpuQuerySpecs.GetCumulativeEnergy, context.Request.QueryString.Value, out var query) is { } queryError)
        {
            await Responses.QueryError(context.Response, queryError);
            return;
        }
        if (await CheckIds(context, query.Text(0)) is not { } ids)
        {
            return;
        }
        var outcome = await FanOut.RunAsync(cpus.Queues, ids, (cpu: query.Boolean(1), dram: query.Boolean(2)),
            static (package, want) => CpuFleet.Read(package, want.cpu, want.dram));
        if (outcome.Failed)
        {
            await outcome.WriteErrors(context.Response);
            return;
        }
        await Responses.Json(context.Response, StatusCodes.Status200OK, outcome, static (writer, outcome) =>
        {
            writer.WriteStartObject();
            for (int i = 0; i < outcome.Ids.Length; i++)
            {
                FanOut.StartDeviceObject(writer, outcome.Ids[i]);
                WriteNullable(writer, "cpu_energy_uj"u8, outcome.Results[i].CpuUj);
                WriteNullable(writer, "dram_energy_uj"u8, outcome.Results[i].DramUj);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        });
    }

    /// <summary>
    /// Power from two energy readings one sampling period apart, divided by the measured time between them
    /// (the first reading's end to the second's end).
    /// </summary>
    public async Task GetPower(HttpContext context)
    {
        if (QueryParser.TryParse(CpuQuerySpecs.Read, context.Request.QueryString.Value, out var query) is { } queryError)
        {
            await Responses.QueryError(context.Response, queryError);
            return;
        }
        if (await CheckIds(context, query.Text(0)) is not { } ids)
        {
            return;
        }
        static CpuEnergy ReadBoth(ICpuPackage package, int _) => CpuFleet.Read(package, cpu: true, dram: true);

        var first = await FanOut.RunAsync(cpus.Queues, ids, 0, ReadBoth);
        if (first.Failed)
        {
            await first.WriteErrors(context.Response);
            return;
        }
        long start = time.GetTimestamp();
        await Task.Delay(powerSamplingPeriod, time, context.RequestAborted);
        var second = await FanOut.RunAsync(cpus.Queues, ids, 0, ReadBoth);
        if (second.Failed)
        {
            await second.WriteErrors(context.Response);
            return;
        }
        ulong elapsedUs = (ulong)Math.Max(1.0, Math.Floor(time.GetElapsedTime(start).TotalMicroseconds));

        var powers = new CpuPower[ids.Length];
        List<(int, int, string)>? errors = null;
        for (int i = 0; i < ids.Length; i++)
        {
            var (e1, e2) = (first.Results[i], second.Results[i]);
            uint? dram = null;
            if (e1.DramUj.HasValue != e2.DramUj.HasValue)
            {
                var missing = new DeviceException(DeviceErrorKind.MissingData,
                    $"CPU {ids[i]} did not return the energy data required for power measurement.");
                (errors ??= []).Add((ids[i], HttpErrorMap.StatusOf(missing.Kind), missing.Message));
                continue;
            }
            if (e1.DramUj is { } d1 && e2.DramUj is { } d2)
            {
                dram = Milliwatts(d1, d2, elapsedUs);
            }
            powers[i] = new CpuPower(Milliwatts(e1.CpuUj!.Value, e2.CpuUj!.Value, elapsedUs), dram);
        }
        if (errors is not null)
        {
            await FanOut.Errors(context.Response, errors);
            return;
        }
        ulong timestamp = GpuRoutes.UnixMilliseconds(time);
        await Responses.Json(context.Response, StatusCodes.Status200OK, (ids, powers, timestamp), static (writer, state) =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("timestamp_ms"u8, state.timestamp);
            writer.WriteStartObject("power_mw"u8);
            for (int i = 0; i < state.ids.Length; i++)
            {
                FanOut.StartDeviceObject(writer, state.ids[i]);
                writer.WriteNumber("cpu_mw"u8, state.powers[i].CpuMw);
                WriteNullable(writer, "dram_mw"u8, state.powers[i].DramMw);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        });
    }

    /// <summary>Power in mW from two µJ readings: a counter that went backwards counts as zero, truncated to u32.</summary>
    public static uint Milliwatts(ulong firstUj, ulong secondUj, ulong elapsedUs)
    {
        ulong delta = secondUj > firstUj ? secondUj - firstUj : 0;
        UInt128 mw = (UInt128)delta * 1000 / Math.Max(1UL, elapsedUs);
        return mw >= uint.MaxValue ? uint.MaxValue : (uint)mw;
    }

    private async ValueTask<int[]?> CheckIds(HttpContext context, string? raw)
    {
        if (DeviceIdList.ResolveRead(raw, cpus.AllIds, DeviceKind.Cpu, out var ids) is { } error)
        {
            await Responses.Error(context.Response, StatusCodes.Status400BadRequest, error);
            return null;
        }
        return ids;
    }

    private static void WriteNullable(Utf8JsonWriter writer, ReadOnlySpan<byte> name, ulong? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private readonly record struct CpuPower(uint CpuMw, uint? DramMw);
}
