using System.Text.Json;
using Zeusd.Auth;
using Zeusd.Interop.Libc;

namespace Zeusd.Restore;

/// <summary>
/// Who made the latest change of a setting: the Unix-socket peer (pid, its start time, uid, account name) and/or the
/// token's subject. Over TCP without a token nothing is known and every such caller is the same owner.
/// </summary>
public sealed record SettingOwner(int? Pid, ulong? StartTime, uint? Uid, string? User, string? Subject)
{
    /// <summary>The caller as an owner, without the account name (looked up only when a record is written).</summary>
    public static SettingOwner Of(Caller caller) => new(
        caller.Process is { Pid: > 0 } process ? process.Pid : null, caller.Process?.StartTime, caller.Process?.Uid, null, caller.Token?.Subject);

    /// <summary>The owner with its uid's account name, for the record.</summary>
    public SettingOwner WithUserName() => Uid is { } uid && User is null ? this with { User = UserDatabase.NameOf(uid) } : this;

    /// <summary>The process to follow in <c>--restore client</c>; null when the caller is not a known local process.</summary>
    public ProcessIdentity? Process => Pid is { } pid && StartTime is { } start ? new ProcessIdentity(pid, start) : null;

    /// <summary>Same caller: same process (pid and start time), uid and token subject; the account name is derived.</summary>
    public bool IsSameAs(SettingOwner other) =>
        Pid == other.Pid && StartTime == other.StartTime && Uid == other.Uid && Subject == other.Subject;

    /// <summary><c>{"pid":..,"uid":..,"user":..}</c> for a local process, <c>{"sub":..}</c> for a token; both when both.</summary>
    public void WriteJson(Utf8JsonWriter writer, bool withStartTime)
    {
        writer.WriteStartObject();
        if (Pid is { } pid)
        {
            writer.WriteNumber("pid"u8, pid);
        }
        if (withStartTime && StartTime is { } start)
        {
            writer.WriteNumber("start_time"u8, start);
        }
        if (Uid is { } uid)
        {
            writer.WriteNumber("uid"u8, uid);
        }
        if (User is { } user)
        {
            writer.WriteString("user"u8, user);
        }
        if (Subject is { } subject)
        {
            writer.WriteString("sub"u8, subject);
        }
        writer.WriteEndObject();
    }

    /// <summary>The owner as logs name it.</summary>
    public string Describe()
    {
        var parts = new List<string>(2);
        if (Pid is { } pid)
        {
            parts.Add($"pid {pid} (uid {Uid?.ToString() ?? "?"}{(User is null ? "" : " " + User)})");
        }
        if (Subject is { } subject)
        {
            parts.Add($"user '{subject}'");
        }
        return parts.Count == 0 ? "an unidentified caller" : string.Join(", ", parts);
    }
}
