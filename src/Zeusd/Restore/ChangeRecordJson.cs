using System.Text.Json;
using Zeusd.Common;

namespace Zeusd.Restore;

/// <summary>
/// A <see cref="ChangeRecord"/> as a journal file stores it:
/// <c>{"version":1,"gpu_index":0,"pci_address":"..","setting":"power_limit_mw","original":300000,"current":"200000 mW",
/// "since_ms":..,"owner":{..}}</c>. Read back with every field checked: the file is trusted no more than any other.
/// </summary>
public static class ChangeRecordJson
{
    private const int Version = 1;

    public static byte[] Encode(ChangeRecord record) => CompactJson.Serialize(record, static (writer, r) =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("version"u8, Version);
        writer.WriteNumber("gpu_index"u8, r.GpuIndex);
        writer.WriteString("pci_address"u8, r.PciAddress);
        writer.WriteString("setting"u8, r.Setting.WireName());
        writer.WriteNumber("original"u8, r.Original);
        writer.WriteString("current"u8, r.Current);
        writer.WriteNumber("since_ms"u8, r.SinceMs);
        writer.WritePropertyName("owner"u8);
        r.Owner.WriteJson(writer, withStartTime: true);
        writer.WriteEndObject();
    }).ToArray();

    /// <returns>The record, or null with <paramref name="error"/> saying what is wrong with the file.</returns>
    public static ChangeRecord? Decode(ReadOnlySpan<byte> json, out string? error)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.GetProperty("version").GetInt32() != Version)
            {
                error = "unknown version";
                return null;
            }
            if (!RestorableSettings.TryParse(root.GetProperty("setting").GetString() ?? "", out var setting))
            {
                error = "unknown setting";
                return null;
            }
            var owner = root.GetProperty("owner");
            error = null;
            return new ChangeRecord(
                root.GetProperty("gpu_index").GetInt32(),
                root.GetProperty("pci_address").GetString() ?? throw new FormatException(),
                setting,
                root.GetProperty("original").GetUInt32(),
                root.GetProperty("current").GetString() ?? "",
                root.GetProperty("since_ms").GetUInt64(),
                new SettingOwner(
                    OptionalInt(owner, "pid"),
                    owner.TryGetProperty("start_time", out var start) ? start.GetUInt64() : null,
                    owner.TryGetProperty("uid", out var uid) ? uid.GetUInt32() : null,
                    owner.TryGetProperty("user", out var user) ? user.GetString() : null,
                    owner.TryGetProperty("sub", out var sub) ? sub.GetString() : null));
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            error = "not a journal record (" + ex.Message + ")";
            return null;
        }
    }

    private static int? OptionalInt(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.GetInt32() : null;
}
