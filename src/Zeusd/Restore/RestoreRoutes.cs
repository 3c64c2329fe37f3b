using Zeusd.Api;
using Zeusd.Auth;
using Zeusd.Configuration;
using Zeusd.Devices.Gpu;

namespace Zeusd.Restore;

/// <summary>
/// <c>GET /gpu/get_changed_settings[?gpu_ids=..]</c> (gpu-read) and <c>POST /gpu/restore_settings?gpu_ids=..&amp;block=..</c>
/// (gpu-control, the id rules and error shapes of every write). With <c>--restore never</c> nothing is tracked: the
/// first answers <c>{}</c>, the second refuses with 400 rather than pretend to have restored anything.
/// </summary>
public sealed class RestoreRoutes(GpuFleet gpus, SettingsRestorer? restorer)
{
    public const string NotTrackingMessage = "This server does not track changed settings (it runs with --restore never).";

    public void Register(RouteTable routes)
    {
        routes.Get("/gpu/get_changed_settings", ApiGroup.GpuRead, GetChangedSettings);
        routes.Post("/gpu/restore_settings", ApiGroup.GpuControl, RestoreSettings);
    }

    /// <summary><c>{"0":{"power_limit_mw":{"original":300000,"since_ms":..,"owner":{..}}}}</c>; GPUs without changes are left out.</summary>
    private async Task GetChangedSettings(HttpContext context)
    {
        if (DeviceQuery.Parse(context, GpuQuerySpecs.Read, DeviceKind.Gpu, gpus.AllIds, IdListRule.Read, out _, out var ids) is { } error)
        {
            await error;
            return;
        }
        var records = restorer?.Changed.Where(r => ids.Contains(r.GpuIndex)).ToArray() ?? [];
        await Responses.Json(context.Response, StatusCodes.Status200OK, records, static (writer, records) =>
        {
            writer.WriteStartObject();
            for (int i = 0; i < records.Length; i++)
            {
                var record = records[i];
                if (i == 0 || records[i - 1].GpuIndex != record.GpuIndex)
                {
                    if (i > 0)
                    {
                        writer.WriteEndObject();
                    }
                    DeviceJson.StartDeviceObject(writer, record.GpuIndex);
                }
                writer.WriteStartObject(record.Setting.WireName());
                RestorableSettings.WriteOriginal(writer, record.Setting, record.Original);
                writer.WriteNumber("since_ms"u8, record.SinceMs);
                writer.WritePropertyName("owner"u8);
                record.Owner.WriteJson(writer, withStartTime: false);
                writer.WriteEndObject();
            }
            if (records.Length > 0)
            {
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        });
    }

    /// <summary>200 with no body once restored (or queued, <c>block=false</c>); the failed GPUs' errors otherwise.</summary>
    private async Task RestoreSettings(HttpContext context, Caller caller)
    {
        var spec = GpuQuerySpecs.Reset;
        if (DeviceQuery.Parse(context, spec, DeviceKind.Gpu, gpus.AllIds, IdListRule.Write, out var query, out var ids) is { } error)
        {
            await error;
            return;
        }
        if (restorer is null)
        {
            await Responses.Error(context.Response, StatusCodes.Status400BadRequest, NotTrackingMessage);
            return;
        }
        var errors = await restorer.RestoreAsync(ids, query.Boolean(spec.Names.Length - 1), caller);
        await (errors is null ? Responses.Empty(context.Response) : DeviceErrorResponse.Write(context.Response, errors));
    }
}
