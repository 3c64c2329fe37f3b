using Zeusd.Configuration;

namespace Zeusd.Devices;

/// <summary>How a <see cref="DeviceQueue{TDevice}"/> schedules its device's commands.</summary>
public sealed record DeviceQueueOptions
{
    /// <summary>Commands that may wait for a busy device (the running one not counted): <c>--device-queue-depth</c>'s default.</summary>
    public const int DefaultDepth = ServeOptions.DefaultDeviceQueueDepth;

    public static DeviceQueueOptions Default { get; } = new();

    /// <summary>Beyond this many waiting commands, new ones are refused at once (<see cref="DeviceErrorKind.QueueFull"/>).</summary>
    public int Depth { get; init; } = DefaultDepth;

    /// <summary>
    /// Lets quick commands run on an idle device from the caller's thread, within this budget; null runs every command
    /// on the device's worker thread (pollers: their caller is a pool thread, and a poll has nobody waiting to save for).
    /// </summary>
    public InlineCallBudget? Inline { get; init; } = InlineCallBudget.Shared;

    /// <summary>Drives the summary of repeated failures of commands nobody waits for.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>How often repeats of the same failure are summarized in one log line.</summary>
    public TimeSpan FailureLogInterval { get; init; } = RepeatedFailureLog.DefaultInterval;

    /// <summary>What the queue serves other than management commands, naming it in logs: <c>Power poller for GPU 0</c>.</summary>
    public string? Role { get; init; }
}
