
namespace Zeusd.Tests.Auth;

/// <summary>Requests with a raw <c>Authorization</c> header (sent as given, without HttpClient's validation).</summary>
public static class AuthHttp
{
    public static async Task<(int Status, string Body, HttpResponseMessage Response)> CallWithAuthAsync(
        this HttpClient client, string url, string? authorization, HttpMethod? method = null, params string[] moreAuthorizations)
    {
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, url);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", [authorization, .. moreAuthorizations]);
        }
        var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    public static Task<(int Status, string Body, HttpResponseMessage Response)> CallWithTokenAsync(
        this HttpClient client, string url, string token, HttpMethod? method = null) =>
        client.CallWithAuthAsync(url, "Bearer " + token, method);

    /// <summary>The <c>WWW-Authenticate</c> header, or null.</summary>
    public static string? Challenge(this HttpResponseMessage response) =>
        response.Headers.TryGetValues("WWW-Authenticate", out var values) ? string.Join(",", values) : null;
}
