using System.Text;
using Microsoft.AspNetCore.Http;
using Zeusd.Api;

namespace Zeusd.Tests.Api;

public sealed class DeviceQueryTests
{
    private static readonly int[] FourGpus = [0, 1, 2, 3];

    [Fact]
    public void Parse_ReadWithoutIds_IsEveryDevice()
    {
        var context = Request("");

        Assert.Null(DeviceQuery.Parse(context, GpuQuerySpecs.Read, DeviceKind.Gpu, FourGpus, IdListRule.Read, out _, out var ids));
        Assert.Same(FourGpus, ids);
    }

    [Theory]
    [InlineData(IdListRule.Read)]
    [InlineData(IdListRule.Write)]
    [InlineData(IdListRule.Stream)]
    public void Parse_IdsGiven_SortedAndDistinct(IdListRule rule)
    {
        var spec = rule == IdListRule.Write ? GpuQuerySpecs.Reset : GpuQuerySpecs.Read;
        var context = Request(rule == IdListRule.Write ? "?gpu_ids=3,0,3&block=true" : "?gpu_ids=3,0,3");

        Assert.Null(DeviceQuery.Parse(context, spec, DeviceKind.Gpu, FourGpus, rule, out _, out var ids));
        Assert.Equal([0, 3], ids);
    }

    [Theory]
    [InlineData(IdListRule.Read, "?gpu_ids=1,7,9", 400, "application/json", "{\"error\":\"GPU 7 not found\"}")]
    [InlineData(IdListRule.Write, "?gpu_ids=1,7,9&block=true", 400, "text/plain; charset=utf-8", "GPU index 7 does not exist.")]
    [InlineData(IdListRule.Stream, "?gpu_ids=1,7,9", 400, "application/json", "{\"error\":\"Unknown GPU indices: [7, 9]. Available: [0, 1, 2, 3]\"}")]
    [InlineData(IdListRule.Read, "?gpu_ids=1,,2", 400, "application/json", "{\"error\":\"gpu_ids contains an empty GPU index\"}")]
    [InlineData(IdListRule.Read, "?gpu=1", 400, "text/plain; charset=utf-8", "Query deserialize error: unknown field `gpu`, expected `gpu_ids`")]
    public async Task Parse_BadIds_WritesEachRulesWording(IdListRule rule, string query, int status, string contentType, string body)
    {
        var spec = rule == IdListRule.Write ? GpuQuerySpecs.Reset : GpuQuerySpecs.Read;
        var context = Request(query);

        var error = DeviceQuery.Parse(context, spec, DeviceKind.Gpu, FourGpus, rule, out _, out _);

        Assert.NotNull(error);
        await error;
        Assert.Equal(status, context.Response.StatusCode);
        Assert.Equal(contentType, context.Response.ContentType);
        Assert.Equal(body, await BodyOf(context));
    }

    private static DefaultHttpContext Request(string query)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query.Length == 0 ? null : query);
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static async Task<string> BodyOf(DefaultHttpContext context)
    {
        await context.Response.BodyWriter.FlushAsync();
        return Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());
    }
}
