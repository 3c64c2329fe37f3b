using Zeusd.Configuration;
using Zeusd.Devices;
using Zeusd.Devices.Cpu;

namespace Zeusd.Api.Legacy;

/// <summary>
/// The first API's CPU reads (zeusd 0.2, Zeus 0.11–0.13): <c>POST /cpu/{index}/get_index_energy</c> with
/// <c>{"cpu":…,"dram":…}</c> answering the bare <c>{"cpu_energy_uj":…,"dram_energy_uj":…}</c>, and
/// <c>GET /cpu/{index}/supports_dram_energy</c> answering <c>{"dram_available":…}</c>. Same queues and RAPL handles as
/// the current API; errors are text bodies.
/// </summary>
public sealed class LegacyCpuRoutes(CpuFleet cpus)
{
    public void Register(RouteTable routes)
    {
        routes.Post($"/cpu/{RouteTable.IndexSegment}/get_index_energy", ApiGroup.CpuRead, GetIndexEnergy);
        routes.Get($"/cpu/{RouteTable.IndexSegment}/supports_dram_energy", ApiGroup.CpuRead, SupportsDramEnergy);
    }

    public async Task GetIndexEnergy(HttpContext context)
    {
        if (await LegacyRequest.ReadIndexAsync(context) is not { } index
            || await LegacyRequest.ReadBodyAsync(context, LegacyBodySpec.GetIndexEnergy) is not { } fields
            || await CheckIndex(context, index) is not { } id)
        {
            return;
        }
        var outcome = await DeviceFanOut.RunAsync(cpus.Queues, [id], (cpu: fields[0] != 0, dram: fields[1] != 0),
            static (package, want) => CpuFleet.Read(package, want.cpu, want.dram));
        if (outcome.Errors is [var error, ..])
        {
            await Responses.Text(context.Response, HttpErrorMap.StatusOf(error.Kind), error.Message);
            return;
        }
        await Responses.Json(context.Response, StatusCodes.Status200OK, outcome.Results[0], static (writer, energy) =>
        {
            writer.WriteStartObject();
            CpuRoutes.WriteEnergyFields(writer, energy);
            writer.WriteEndObject();
        });
    }

    /// <summary>What discovery found; no device call. Any body is ignored, as the first API did.</summary>
    public async Task SupportsDramEnergy(HttpContext context)
    {
        if (await LegacyRequest.ReadIndexAsync(context) is not { } index || await CheckIndex(context, index) is not { } id)
        {
            return;
        }
        await Responses.Json(context.Response, StatusCodes.Status200OK, cpus.Infos[id].DramAvailable,
            static (writer, available) =>
            {
                writer.WriteStartObject();
                writer.WriteBoolean("dram_available"u8, available);
                writer.WriteEndObject();
            });
    }

    private async ValueTask<int?> CheckIndex(HttpContext context, ulong index)
    {
        if (index < (ulong)cpus.Count)
        {
            return (int)index;
        }
        await Responses.Text(context.Response, StatusCodes.Status400BadRequest, $"CPU index {index} does not exist.");
        return null;
    }
}
