using Zeusd.Devices;

namespace Zeusd.Api;

/// <summary>
/// The answer of a request over several devices of which some failed: <c>{"errors":{"&lt;id&gt;":"&lt;text&gt;"}}</c>
/// with the numerically largest status (400 + 403 → 403, 403 + 500 → 500), as the original daemon aggregates.
/// </summary>
public static class DeviceErrorResponse
{
    public static Task Write(HttpResponse response, IReadOnlyList<DeviceError> errors)
    {
        int status = 0;
        foreach (var error in errors)
        {
            status = Math.Max(status, HttpErrorMap.StatusOf(error.Kind));
        }
        return Responses.Json(response, status, errors, static (writer, list) =>
        {
            writer.WriteStartObject();
            writer.WriteStartObject("errors"u8);
            foreach (var error in list)
            {
                writer.WriteString(DeviceJson.IdKey(error.DeviceId), error.Message);
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        });
    }
}
