using System.Globalization;

namespace Zeusd.Transports;

/// <summary>
/// When a process started, in clock ticks since boot (<c>/proc/PID/stat</c> field 22). A pid and its start time name
/// one process for the whole uptime: a pid the kernel hands out again belongs to a process with a later start time.
/// </summary>
public static class ProcessStartTime
{
    /// <returns>The start time, or null if the process does not exist (or this is not Linux).</returns>
    public static ulong? Read(int pid)
    {
        if (!OperatingSystem.IsLinux() || pid <= 0)
        {
            return null;
        }
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        return Parse(text);
    }

    /// <summary>
    /// Field 22 of a stat line. The command name (field 2) is in parentheses and may itself contain spaces and
    /// parentheses, so the fields are counted from the last <c>)</c>.
    /// </summary>
    public static ulong? Parse(string stat)
    {
        int close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }
        // After ")" come fields 3, 4, ...: field 22 is the 20th.
        var fields = stat.AsSpan(close + 1).Trim();
        int field = 3;
        foreach (var range in fields.Split(' '))
        {
            if (field++ == 22)
            {
                return ulong.TryParse(fields[range], NumberStyles.None, CultureInfo.InvariantCulture, out ulong ticks) ? ticks : null;
            }
        }
        return null;
    }
}
