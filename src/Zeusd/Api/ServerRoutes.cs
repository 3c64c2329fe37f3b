using Zeusd.Common;
using Zeusd.Configuration;
using Zeusd.Devices.Cpu;
using Zeusd.Devices.Gpu;

namespace Zeusd.Api;

/// <summary><c>/discover</c> and <c>/time</c>: always routed, never behind a token.</summary>
public sealed class ServerRoutes
{
    private readonly byte[] _discovery;
    private readonly TimeProvider _time;

    public ServerRoutes(GpuFleet gpus, CpuFleet cpus, IReadOnlyList<ApiGroup> enabled, bool authRequired, TimeProvider time)
    {
        _time = time;
        Discovery = new DiscoveryResponse(
            [.. gpus.Infos.Select(g => new GpuDiscoveryEntry(g.Id, g.Name, g.PciAddress, g.CumulativeEnergyAvailable))],
            [.. cpus.Infos.Select(c => new CpuDiscoveryEntry(c.Id, c.DramAvailable))],
            [.. enabled.Select(g => g.WireName())],
            authRequired,
            [.. gpus.Infos.Select(g => g.Id)],
            [.. cpus.Infos.Select(c => c.Id)],
            [.. cpus.Infos.Select(c => c.DramAvailable)]);
        // Nothing in it changes while the daemon runs: serialize once.
        _discovery = Responses.SerializeToArray(Discovery, ZeusdJsonContext.Default.DiscoveryResponse);
    }

    public DiscoveryResponse Discovery { get; }

    public void Register(RouteTable routes)
    {
        routes.Get("/discover", group: null, Discover);
        routes.Get("/time", group: null, Time);
    }

    public Task Discover(HttpContext context) =>
        Responses.Bytes(context.Response, StatusCodes.Status200OK, Responses.JsonContentType, _discovery);

    public Task Time(HttpContext context) =>
        Responses.Json(context.Response, StatusCodes.Status200OK, new TimeResponse(UnixTime.Milliseconds(_time)),
            ZeusdJsonContext.Default.TimeResponse);
}
