using System.Text.Json;
using Zeusd.Configuration;

namespace Zeusd.Auth;

/// <summary>
/// The claims object in wire order, <c>{"sub":..,"scopes":[..],"exp":..,"gpus":[..]}</c> with <c>exp</c> and <c>gpus</c>
/// omitted when absent: the payload <c>token issue</c> signs and the start of the body <c>/auth/whoami</c> answers.
/// </summary>
internal static class ClaimsJson
{
    public static void Write(Utf8JsonWriter writer, string subject, IReadOnlyList<ApiGroup> scopes, ulong? expiresAt, IReadOnlyList<int>? gpus = null)
    {
        writer.WriteStartObject();
        WriteFields(writer, subject, scopes, expiresAt, gpus);
        writer.WriteEndObject();
    }

    /// <summary>The fields without the braces, so <c>/auth/whoami</c> can add its own after them.</summary>
    public static void WriteFields(Utf8JsonWriter writer, string subject, IReadOnlyList<ApiGroup> scopes, ulong? expiresAt, IReadOnlyList<int>? gpus)
    {
        writer.WriteString("sub"u8, subject);
        writer.WriteStartArray("scopes"u8);
        foreach (var scope in scopes)
        {
            writer.WriteStringValue(scope.WireName());
        }
        writer.WriteEndArray();
        if (expiresAt is { } exp)
        {
            writer.WriteNumber("exp"u8, exp);
        }
        if (gpus is not null)
        {
            WriteGpus(writer, gpus);
        }
    }

    public static void WriteGpus(Utf8JsonWriter writer, IReadOnlyList<int> gpus)
    {
        writer.WriteStartArray("gpus"u8);
        foreach (int gpu in gpus)
        {
            writer.WriteNumberValue(gpu);
        }
        writer.WriteEndArray();
    }
}
