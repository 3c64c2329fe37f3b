using System.Globalization;

namespace Zeusd.Overrides;

/// <summary>
/// The values of one request that commands may reference. Substitution is plain string replacement inside each
/// already-split argument, so a value never re-splits or adds arguments.
/// </summary>
public readonly record struct PlaceholderValues(
    int GpuId, bool? Enabled = null, uint? PowerLimitMw = null, uint? MinClockMhz = null, uint? MaxClockMhz = null)
{
    public string Substitute(string token)
    {
        if (!token.Contains('{'))
        {
            return token;
        }
        string result = token.Replace("{gpu_id}", Text(GpuId), StringComparison.Ordinal);
        if (Enabled is { } enabled)
        {
            result = result.Replace("{enabled}", enabled ? "1" : "0", StringComparison.Ordinal);
        }
        if (PowerLimitMw is { } milliwatts)
        {
            result = result.Replace("{power_limit_mw}", Text(milliwatts), StringComparison.Ordinal)
                .Replace("{power_limit_w}", Text(milliwatts / 1000), StringComparison.Ordinal);
        }
        if (MinClockMhz is { } min)
        {
            result = result.Replace("{min_clock_mhz}", Text(min), StringComparison.Ordinal);
        }
        if (MaxClockMhz is { } max)
        {
            result = result.Replace("{max_clock_mhz}", Text(max), StringComparison.Ordinal);
        }
        return result;
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
