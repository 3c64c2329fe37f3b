using System.Text.Json;

namespace Zeusd.Tests.Integration;

/// <summary>Small helpers for asserting on response bodies.</summary>
public static class Json
{
    public static JsonElement Parse(string text) => JsonDocument.Parse(text).RootElement.Clone();

    public static async Task<(int Status, string Body, HttpResponseMessage Response)> CallAsync(this HttpClient client, string url, HttpMethod? method = null)
    {
        var response = await client.SendAsync(new HttpRequestMessage(method ?? HttpMethod.Get, url));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    public static Task<(int Status, string Body, HttpResponseMessage Response)> CallPostAsync(this HttpClient client, string url) =>
        client.CallAsync(url, HttpMethod.Post);

    /// <summary>POSTs <paramref name="body"/> as it is, with <paramref name="contentType"/> (none when null), as old Zeus clients do.</summary>
    public static async Task<(int Status, string Body, HttpResponseMessage Response)> PostBodyAsync(this HttpClient client, string url,
        string body, string? contentType = "application/json")
    {
        var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(body));
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        var response = await client.PostAsync(url, content);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    public static string? ContentType(this HttpResponseMessage response) =>
        response.Content.Headers.TryGetValues("Content-Type", out var values) ? string.Join(",", values) : null;
}
