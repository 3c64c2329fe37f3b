using System.Buffers;
using System.IO.Pipelines;
using Zeusd.Compat;

namespace Zeusd.Api.Legacy;

/// <summary>
/// The prologue of every legacy route, in actix's order (the first failure wins): the index segment (404 text), then
/// the JSON body (content type, size limit, serde), as the first API's handlers extracted them. Device-range checks
/// come after, in the route.
/// </summary>
public static class LegacyRequest
{
    /// <returns>The device index, or null after writing the 404.</returns>
    public static async ValueTask<ulong?> ReadIndexAsync(HttpContext context)
    {
        string segment = RouteTable.IndexOf(context.Request.Path.Value!);
        if (RustUnsignedParser.TryParse(segment, ulong.MaxValue, out ulong index) is null)
        {
            return index;
        }
        await Responses.Text(context.Response, StatusCodes.Status404NotFound, ActixText.IndexNotAnInteger(segment));
        return null;
    }

    /// <summary>Reads and checks the body; on failure writes actix's error and returns null.</summary>
    /// <returns>Each field's value (booleans as 0 or 1), by the spec's field index.</returns>
    public static async ValueTask<ulong[]?> ReadBodyAsync(HttpContext context, LegacyBodySpec spec)
    {
        var request = context.Request;
        var response = context.Response;
        if (!ActixText.IsJsonContentType(request.ContentType))
        {
            await Fail(response, StatusCodes.Status400BadRequest, ActixText.ContentTypeError);
            return null;
        }
        if (request.ContentLength is > ActixText.JsonLimitBytes)
        {
            await Fail(response, StatusCodes.Status413PayloadTooLarge, ActixText.PayloadTooLarge(request.ContentLength.Value));
            return null;
        }
        byte[] body;
        try
        {
            if (await ReadAllAsync(request.BodyReader, context.RequestAborted) is not { } read)
            {
                await Fail(response, StatusCodes.Status413PayloadTooLarge, ActixText.PayloadOverflow);
                return null;
            }
            body = read;
        }
        catch (BadHttpRequestException ex)
        {
            await Fail(response, ex.StatusCode, ActixText.PayloadReadError(ex.Message));
            return null;
        }
        var values = new ulong[spec.Fields.Length];
        if (SerdeStructReader.Read(body, spec.StructName, spec.Fields, values) is { } error)
        {
            await Responses.Text(response, StatusCodes.Status400BadRequest, ActixText.JsonDeserializePrefix + error);
            return null;
        }
        return values;
    }

    /// <summary>The whole body, or null once it grows past actix's limit.</summary>
    private static async Task<byte[]?> ReadAllAsync(PipeReader reader, CancellationToken cancellation)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellation);
            if (result.Buffer.Length > ActixText.JsonLimitBytes)
            {
                reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                return null;
            }
            if (result.IsCompleted)
            {
                byte[] body = result.Buffer.ToArray();
                reader.AdvanceTo(result.Buffer.End);
                return body;
            }
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    /// <summary>
    /// A text error for a body that was left unread or half read: the connection cannot be reused, so the response says
    /// <c>Connection: close</c>; old clients keep connections alive and would otherwise fail their next call on it.
    /// </summary>
    private static Task Fail(HttpResponse response, int status, string text)
    {
        response.Headers.Connection = "close";
        return Responses.Text(response, status, text);
    }
}
