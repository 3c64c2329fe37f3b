namespace Zeusd.Api;

/// <summary>
/// How an endpoint treats its id list (contract §4.0.2): the three kinds of endpoint word a missing or unknown id
/// differently, and clients rely on each wording.
/// </summary>
public enum IdListRule
{
    /// <summary>Optional (absent: every device); the smallest unknown id as 400 JSON <c>GPU 4 not found</c>.</summary>
    Read,
    /// <summary>Required; the smallest unknown id as 400 text <c>GPU index 4 does not exist.</c></summary>
    Write,
    /// <summary>Optional; every unknown id with the available ones, 400 JSON.</summary>
    Stream,
}
