using Zeusd.Common;
using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Zeusd.Api;

/// <summary>
/// Writes complete responses with a Content-Length, as the original daemon does; JSON through <see cref="CompactJson"/>.
/// </summary>
public static class Responses
{
    public const string JsonContentType = "application/json";
    public const string TextContentType = "text/plain; charset=utf-8";

    /// <summary>200 with no body and no Content-Type.</summary>
    public static Task Empty(HttpResponse response, int status = StatusCodes.Status200OK)
    {
        response.StatusCode = status;
        response.ContentLength = 0;
        return Task.CompletedTask;
    }

    public static Task Text(HttpResponse response, int status, string text)
    {
        response.StatusCode = status;
        response.ContentType = TextContentType;
        int length = Encoding.UTF8.GetByteCount(text);
        response.ContentLength = length;
        var span = response.BodyWriter.GetSpan(length);
        Encoding.UTF8.GetBytes(text, span);
        response.BodyWriter.Advance(length);
        return Task.CompletedTask;
    }

    /// <summary>400 text <c>Query deserialize error: ...</c>.</summary>
    public static Task QueryError(HttpResponse response, string message) =>
        Text(response, StatusCodes.Status400BadRequest, QueryParser.ErrorPrefix + message);

    /// <summary><c>{"error":"..."}</c> with the given status.</summary>
    public static Task Error(HttpResponse response, int status, string message) =>
        Json(response, status, new ErrorResponse(message), ZeusdJsonContext.Default.ErrorResponse);

    public static Task Json<T>(HttpResponse response, int status, T value, JsonTypeInfo<T> type) =>
        Json(response, status, (value, type), static (writer, state) => JsonSerializer.Serialize(writer, state.value, state.type));

    /// <summary>Writes the JSON that <paramref name="write"/> produces, with a Content-Length.</summary>
    public static Task Json<TState>(HttpResponse response, int status, TState state, Action<Utf8JsonWriter, TState> write)
    {
        var body = CompactJson.Serialize(state, write);
        response.StatusCode = status;
        response.ContentType = JsonContentType;
        response.ContentLength = body.Length;
        response.BodyWriter.Write(body);
        return Task.CompletedTask;
    }

    /// <summary>Serializes to a new array, for bodies computed once (like <c>/discover</c>).</summary>
    public static byte[] SerializeToArray<T>(T value, JsonTypeInfo<T> type) =>
        CompactJson.Serialize((value, type), static (writer, state) => JsonSerializer.Serialize(writer, state.value, state.type)).ToArray();

    public static Task Bytes(HttpResponse response, int status, string contentType, byte[] body)
    {
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        response.BodyWriter.Write(body);
        return Task.CompletedTask;
    }
}
