using System.Text.Json;
using Zeusd.Devices;
using Zeusd.Common;
using Zeusd.Configuration;
using Zeusd.Devices.Cpu;

namespace Zeusd.Api;

/// <summary>The <c>/cpu/*</c> read endpoints (streams live in <c>Streaming/</c>).</summary>
public sealed class CpuRoutes(CpuFleet cpus, TimeProvider time, TimeSpan powerSamplingPeriod)
{
    public void Register(RouteTable routes)
    {
        routes.Get("/cpu/get_cumulative_energy", ApiGroup.CpuRead, GetCumulativeEnergy);
        routes.Get("/cpu/get_power", ApiGroup.CpuRead, GetPower);
    }

    public async Task GetCumulativeEnergy(HttpContext context)
    {
        if (DeviceQuery.Parse(context, CpuQuerySpecs.GetCumulativeEnergy, DeviceKind.Cpu, cpus.AllIds, IdListRule.Read,
                out var query, out var ids) is { } error)
        {
            await error;
            return;
        }
        var outcome = await DeviceFanOut.RunAsync(cpus.Queues, ids, (cpu: query.Boolean(1), dram: query.Boolean(2)),
            static (package, want) => CpuFleet.Read(package, want.cpu, want.dram));
        if (outcome.Failed)
        {
            await DeviceErrorResponse.Write(context.Response, outcome.Errors!);
            return;
        }
        await Responses.Json(context.Response, StatusCodes.Status200OK, outcome, static (writer, outcome) =>
        {
            writer.WriteStartObject();
            for (int i = 0; i < outcome.Ids.Length; i++)
            {
                DeviceJson.StartDeviceObject(writer, outcome.Ids[i]);
                WriteEnergyFields(writer, outcome.Results[i]);
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
        if (DeviceQuery.Parse(context, CpuQuerySpecs.Read, DeviceKind.Cpu, cpus.AllIds, IdListRule.Read, out _, out var ids) is { } error)
        {
            await error;
            return;
        }
        static CpuEnergy ReadBoth(ICpuPackage package, int _) => CpuFleet.Read(package, cpu: true, dram: true);

        var first = await DeviceFanOut.RunAsync(cpus.Queues, ids, 0, ReadBoth);
        if (first.Failed)
        {
            await DeviceErrorResponse.Write(context.Response, first.Errors!);
            return;
        }
        long start = time.GetTimestamp();
        await Task.Delay(powerSamplingPeriod, time, context.RequestAborted);
        var second = await DeviceFanOut.RunAsync(cpus.Queues, ids, 0, ReadBoth);
        if (second.Failed)
        {
            await DeviceErrorResponse.Write(context.Response, second.Errors!);
            return;
        }
        ulong elapsedUs = (ulong)Math.Max(1.0, Math.Floor(time.GetElapsedTime(start).TotalMicroseconds));

        var powers = new CpuPower[ids.Length];
        List<DeviceError>? errors = null;
        for (int i = 0; i < ids.Length; i++)
        {
            var (e1, e2) = (first.Results[i], second.Results[i]);
            uint? dram = null;
            if (e1.DramUj.HasValue != e2.DramUj.HasValue)
            {
                (errors ??= []).Add(new DeviceError(ids[i], DeviceErrorKind.MissingData,
                    $"CPU {ids[i]} did not return the energy data required for power measurement."));
                continue;
            }
            if (e1.DramUj is { } d1 && e2.DramUj is { } d2)
            {
                dram = CpuPowerMath.Milliwatts(d1, d2, elapsedUs);
            }
            powers[i] = new CpuPower(CpuPowerMath.Milliwatts(e1.CpuUj!.Value, e2.CpuUj!.Value, elapsedUs), dram);
        }
        if (errors is not null)
        {
            await DeviceErrorResponse.Write(context.Response, errors);
            return;
        }
        ulong timestamp = UnixTime.Milliseconds(time);
        await Responses.Json(context.Response, StatusCodes.Status200OK, (ids, powers, timestamp), static (writer, state) =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("timestamp_ms"u8, state.timestamp);
            writer.WriteStartObject("power_mw"u8);
            for (int i = 0; i < state.ids.Length; i++)
            {
                DeviceJson.StartDeviceObject(writer, state.ids[i]);
                writer.WriteNumber("cpu_mw"u8, state.powers[i].CpuMw);
                DeviceJson.WriteNullable(writer, "dram_mw"u8, state.powers[i].DramMw);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        });
    }

    /// <summary><c>"cpu_energy_uj":…,"dram_energy_uj":…</c>, each <c>null</c> when not read (the legacy API writes the same).</summary>
    public static void WriteEnergyFields(Utf8JsonWriter writer, CpuEnergy energy)
    {
        DeviceJson.WriteNullable(writer, "cpu_energy_uj"u8, energy.CpuUj);
        DeviceJson.WriteNullable(writer, "dram_energy_uj"u8, energy.DramUj);
    }

    private readonly record struct CpuPower(uint CpuMw, uint? DramMw);
}
