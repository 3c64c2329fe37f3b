namespace Zeusd.Api;

/// <summary>How a query parameter's value is parsed.</summary>
public enum QueryFieldKind
{
    /// <summary>Any string (device-id lists are parsed later, with their own errors).</summary>
    Text,
    /// <summary>Exactly <c>true</c> or <c>false</c>.</summary>
    Boolean,
    /// <summary>An unsigned 32-bit decimal integer, optional leading <c>+</c>.</summary>
    UInt32,
}
