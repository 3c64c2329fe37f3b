namespace Zeusd.Compat;

/// <summary>
/// What actix-web 4.9 (the first API's framework) answered for bad requests, as old Zeus clients saw it: JSON
/// extractor errors and path-segment parse errors, all as plain-text bodies.
/// </summary>
public static class ActixText
{
    /// <summary>actix's default JSON body limit.</summary>
    public const int JsonLimitBytes = 2_097_152;

    public const string ContentTypeError = "Content type error";

    public const string JsonDeserializePrefix = "Json deserialize error: ";

    public static string PayloadTooLarge(long length) =>
        $"JSON payload ({length} bytes) is larger than allowed (limit: {JsonLimitBytes} bytes).";

    public const string PayloadOverflow = "JSON payload has exceeded limit (2097152 bytes).";

    /// <summary>The body stream failed before the JSON was whole (a truncated request).</summary>
    public static string PayloadReadError(string detail) => "Error that occur during reading payload: " + detail;

    /// <summary>A device-index path segment that is not a u64 (answered 404).</summary>
    public static string IndexNotAnInteger(string segment) => $"can not parse \"{segment}\" to a u64";

    /// <summary>
    /// Whether a Content-Type is JSON as actix's extractor judges it: a parsable media type whose subtype is
    /// <c>json</c> or ends in <c>+json</c> (<c>application/json</c>, <c>text/json</c>, <c>application/ld+json</c>).
    /// </summary>
    public static bool IsJsonContentType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return false;
        }
        var media = contentType.AsSpan();
        int semicolon = media.IndexOf(';');
        if (semicolon >= 0)
        {
            media = media[..semicolon];
        }
        media = media.Trim();
        int slash = media.IndexOf('/');
        if (slash <= 0 || slash == media.Length - 1 || media[(slash + 1)..].IndexOf('/') >= 0)
        {
            return false;
        }
        var subtype = media[(slash + 1)..];
        return subtype.Equals("json", StringComparison.OrdinalIgnoreCase)
            || subtype.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }
}
