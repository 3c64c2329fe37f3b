namespace Zeusd.Api;

/// <summary>
/// The prologue of every device endpoint: strict query (400 text) → id list (400 JSON) → range check (its wording
/// by <see cref="IdListRule"/>). The id list is the spec's first field.
/// </summary>
public static class DeviceQuery
{
    /// <returns>null with the query and the ids to act on; else the task writing the error response.</returns>
    public static Task? Parse(HttpContext context, QuerySpec spec, DeviceKind kind, int[] allIds, IdListRule rule,
        out QueryValues query, out int[] ids)
    {
        var response = context.Response;
        ids = allIds;
        if (QueryParser.TryParse(spec, context.Request.QueryString.Value, out query) is { } queryError)
        {
            return Responses.QueryError(response, queryError);
        }
        if (query.Text(0) is not { } raw)
        {
            // Writes require the list; the parser has already refused a request without it.
            return null;
        }
        if (DeviceIdList.TryParse(raw, kind, out var requested) is { } listError)
        {
            return Responses.Error(response, StatusCodes.Status400BadRequest, listError);
        }
        return rule switch
        {
            IdListRule.Write => DeviceIdList.CheckWriteRange(requested, allIds.Length, kind, out ids) is { } text
                ? Responses.Text(response, StatusCodes.Status400BadRequest, text) : null,
            IdListRule.Read => DeviceIdList.CheckReadRange(requested, allIds.Length, kind, out ids) is { } read
                ? Responses.Error(response, StatusCodes.Status400BadRequest, read) : null,
            _ => DeviceIdList.CheckStreamRange(requested, allIds.Length, kind, out ids) is { } stream
                ? Responses.Error(response, StatusCodes.Status400BadRequest, stream) : null,
        };
    }
}
