using System.Text.Json;
using Zeusd.Configuration;

namespace Zeusd.Auth;

/// <summary>
/// The claims object in wire order, <c>{"sub":..,"scopes":[..],"exp":..}</c> with <c>exp</c> omitted when absent: the
/// payload <c>token issue</c> signs and the body <c>/auth/whoami</c> answers are the same shape.
/// </summary>
internal static class ClaimsJson
{
    public static void Write(Utf8JsonWriter writer, string subject, IReadOnlyList<ApiGroup> scopes, ulong? expiresAt)
    {
        writer.WriteStartObject();
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
        writer.WriteEndObject();
    }
}
