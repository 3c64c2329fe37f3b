using System.Text.Json;

namespace Zeusd.Api;

/// <summary>JSON objects keyed by device id, which the wire writes as decimal strings (<c>"0"</c>, <c>"1"</c>, ...).</summary>
public static class DeviceJson
{
    private static readonly string[] SmallIds = [.. Enumerable.Range(0, 64).Select(i => i.ToString())];

    /// <summary>A device id as a JSON object key, without allocating for common ids.</summary>
    public static string IdKey(int id) => (uint)id < (uint)SmallIds.Length ? SmallIds[id] : id.ToString();

    /// <summary>Writes <c>"&lt;id&gt;":{</c> for a per-device object.</summary>
    public static void StartDeviceObject(Utf8JsonWriter writer, int id) => writer.WriteStartObject(IdKey(id));

    /// <summary>A number, or <c>null</c> when there is none.</summary>
    public static void WriteNullable(Utf8JsonWriter writer, ReadOnlySpan<byte> name, ulong? value)
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
}
