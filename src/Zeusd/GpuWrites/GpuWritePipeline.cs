using Microsoft.Extensions.Logging;
using Zeusd.Auth;
using Zeusd.Devices;
using Zeusd.Devices.Gpu;

namespace Zeusd.GpuWrites;

/// <summary>
/// The one path of every GPU write, whichever front end it came from: authorize (the whole command, before anything
/// is applied) → audit → dispatch to each GPU's queue, where the hooks run around the operation → collect the
/// per-GPU errors. <c>block=true</c> waits for every GPU; <c>block=false</c> returns once the commands are queued.
/// </summary>
public sealed partial class GpuWritePipeline(
    GpuFleet gpus, IGpuWriteAuthorizer? authorizer, IReadOnlyList<GpuWriteHook> hooks, ILogger<GpuWritePipeline> logger)
{
    private readonly GpuWriteHook[] _hooks = [.. hooks];

    public async ValueTask<GpuWriteResult> ExecuteAsync(GpuWriteCommand command, Caller caller)
    {
        if (authorizer?.Authorize(command, caller) is { } denial)
        {
            foreach (var hook in _hooks)
            {
                hook.Denied(command, caller, denial);
            }
            return new GpuWriteResult(denial, null);
        }
        Audit(command, caller);

        if (command.Block)
        {
            var outcome = await DeviceFanOut.RunAsync(gpus.Queues, command.GpuIds, (this, command, caller),
                static (gpu, state) => { state.Item1.Apply(gpu, state.command, state.caller); return true; }).ConfigureAwait(false);
            return outcome.Failed ? new GpuWriteResult(null, outcome.Errors) : GpuWriteResult.Success;
        }

        List<DeviceError>? errors = null;
        foreach (int id in command.GpuIds)
        {
            try
            {
                gpus.Queues[id].Post((this, command, caller),
                    static (gpu, state) => state.Item1.Apply(gpu, state.command, state.caller), command.Operation.WireName());
            }
            catch (DeviceException ex)
            {
                (errors ??= []).Add(new DeviceError(id, ex.Kind, ex.Message));
            }
        }
        return errors is null ? GpuWriteResult.Success : new GpuWriteResult(null, errors);
    }

    /// <summary>One GPU's share of the command, run on that GPU's queue.</summary>
    private void Apply(IGpu gpu, GpuWriteCommand command, Caller caller)
    {
        if (_hooks.Length == 0)
        {
            GpuWriteOperations.Apply(gpu, command.Operation, command.Values);
            return;
        }
        // The GPU's id is its position in the fleet: the queue's device is the fleet's handle for that id.
        var write = new GpuWriteContext(gpus.IdOf(gpu), command, caller);
        foreach (var hook in _hooks)
        {
            hook.BeforeApply(write, gpu);
        }
        Exception? error = null;
        try
        {
            GpuWriteOperations.Apply(gpu, command.Operation, command.Values);
        }
        catch (Exception ex)
        {
            error = ex;
            throw;
        }
        finally
        {
            foreach (var hook in _hooks)
            {
                hook.AfterApply(write, gpu, error);
            }
        }
    }

    /// <summary>
    /// Who changed what. Authenticated changes are logged at info; without authentication there is no user to name,
    /// and a line per request at the default level would cost more than the request itself (BENCHMARKS.md), so those
    /// are logged at debug.
    /// </summary>
    private void Audit(GpuWriteCommand command, Caller caller)
    {
        if (caller.Rights is not null)
        {
            // Under a policy the authorizer's decision is the request's audit line (Policy/PolicyAudit.cs).
            return;
        }
        var level = caller.IsAuthenticated || caller.IsDaemon ? LogLevel.Information : LogLevel.Debug;
        if (logger.IsEnabled(level))
        {
            Log.ControlRequest(logger, level, caller.Describe(), command.Operation.WireName(), string.Join(',', command.GpuIds),
                command.Operation.ControlValuesOf(command.Values).ToString(), command.Block ? "true" : "false", command.Route);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Message = "{Caller} {Command} on GPUs [{Gpus}] ({Values}), block={Block}, via {Route}")]
        public static partial void ControlRequest(ILogger logger, LogLevel level, string caller, string command, string gpus,
            string values, string block, string route);
    }
}
