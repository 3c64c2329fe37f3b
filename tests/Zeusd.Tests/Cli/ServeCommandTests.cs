using Zeusd.Cli;
using Zeusd.Configuration;

namespace Zeusd.Tests.Cli;

public sealed class ServeCommandTests
{
    private static System.CommandLine.ParseResult Parse(params string[] args) => ZeusdCommandLine.Create().Parse(["serve", .. args]);

    /// <summary>The daemon's options from a <c>serve</c> command line, defaults applied, as the daemon would get them.</summary>
    private static ServeOptions Read(params string[] args)
    {
        var command = new System.CommandLine.Command("serve");
        var read = ServeCommand.AddOptions(command, ServeOptions.DefaultSocketPath, legacyCommandLine: false);
        var result = command.Parse(args);
        Assert.Empty(result.Errors);
        return read(result);
    }

    [Fact]
    public void Parse_NoFlags_UsesContractDefaults()
    {
        var result = Parse();

        Assert.Empty(result.Errors);
        var command = result.CommandResult.Command;
        var options = Read();
        Assert.Equal(TransportMode.Uds, options.Mode);
        Assert.Equal("/run/zeusd/zeusd.sock", result.GetValue<string>("--socket-path"));
        Assert.Equal("666", result.GetValue<string>("--socket-permissions"));
        Assert.Null(result.GetValue<uint?>("--socket-uid"));
        Assert.Equal("127.0.0.1:4938", result.GetValue<string>("--tcp-bind-address"));
        Assert.Equal(20u, result.GetValue<uint>("--gpu-power-poll-hz"));
        Assert.Equal(10u, result.GetValue<uint>("--cpu-power-poll-hz"));
        Assert.Equal(GpuBackendKind.Auto, options.GpuBackend);
        Assert.Equal(RestoreMode.Never, options.Restore);
        Assert.Equal([ApiGroup.GpuControl, ApiGroup.GpuRead, ApiGroup.CpuRead], options.Enable);
        Assert.Equal("serve", command.Name);
    }

    [Fact]
    public void Parse_EveryFlag_ReadsItsValue()
    {
        var result = Parse(
            "--mode", "tcp", "--socket-path", "/tmp/x.sock", "--socket-permissions", "660", "--socket-uid", "1000",
            "--socket-gid", "1001", "--tcp-bind-address", "0.0.0.0:1", "--num-workers", "3", "--gpu-power-poll-hz", "0",
            "--gpu-backend", "nvml", "--cpu-power-poll-hz", "5", "--enable", "gpu-read", "--gpu-command-overrides", "/o.toml",
            "--signing-key-path", "/k", "--simulate", "--device-queue-depth", "16", "--max-streams", "9", "--log-level", "debug");

        Assert.Empty(result.Errors);
        Assert.Equal(TransportMode.Tcp, result.GetValue<TransportMode?>("--mode"));
        Assert.Equal("/tmp/x.sock", result.GetValue<string>("--socket-path"));
        Assert.Equal("660", result.GetValue<string>("--socket-permissions"));
        Assert.Equal(1000u, result.GetValue<uint?>("--socket-uid"));
        Assert.Equal(1001u, result.GetValue<uint?>("--socket-gid"));
        Assert.Equal("0.0.0.0:1", result.GetValue<string>("--tcp-bind-address"));
        Assert.Equal(3, result.GetValue<int?>("--num-workers"));
        Assert.Equal(0u, result.GetValue<uint>("--gpu-power-poll-hz"));
        Assert.Equal(GpuBackendKind.Nvml, result.GetValue<GpuBackendKind?>("--gpu-backend"));
        Assert.Equal(5u, result.GetValue<uint>("--cpu-power-poll-hz"));
        Assert.Equal([ApiGroup.GpuRead], result.GetValue<IReadOnlyList<ApiGroup>>("--enable"));
        Assert.Equal("/o.toml", result.GetValue<string?>("--gpu-command-overrides"));
        Assert.Equal("/k", result.GetValue<string?>("--signing-key-path"));
        Assert.True(result.GetValue<bool>("--simulate"));
        Assert.Equal("debug", result.GetValue<string>("--log-level"));
        Assert.Equal(16, result.GetValue<int?>("--device-queue-depth"));
        Assert.Equal(9, result.GetValue<int?>("--max-streams"));
    }

    [Fact]
    public void Parse_EnableRepeatedAndCommaSeparated_KeepsOrderAndDuplicates()
    {
        var result = Parse("--enable", "cpu-read,gpu-read", "--enable", "gpu-read");

        Assert.Empty(result.Errors);
        Assert.Equal([ApiGroup.CpuRead, ApiGroup.GpuRead, ApiGroup.GpuRead], result.GetValue<IReadOnlyList<ApiGroup>>("--enable"));
    }

    [Theory]
    [InlineData("--mode", "pipe")]
    [InlineData("--mode", "named-pipe")]
    [InlineData("--mode", "UDS")]
    [InlineData("--socket-uid", "-1")]
    [InlineData("--socket-gid", "root")]
    [InlineData("--socket-uid", "4294967295")]
    [InlineData("--socket-gid", "4294967295")]
    [InlineData("--socket-uid", "4294967296")]
    [InlineData("--socket-uid", "+5")]
    [InlineData("--num-workers", "0")]
    [InlineData("--num-workers", "many")]
    [InlineData("--device-queue-depth", "0")]
    [InlineData("--device-queue-depth", "-3")]
    [InlineData("--max-streams", "0")]
    [InlineData("--max-streams", "lots")]
    [InlineData("--gpu-power-poll-hz", "-5")]
    [InlineData("--cpu-power-poll-hz", "1.5")]
    [InlineData("--gpu-backend", "cuda")]
    [InlineData("--enable", "gpu-write")]
    [InlineData("--enable", "gpu-read,")]
    [InlineData("--log-level", "loud")]
    public void Parse_BadValue_ErrorNamesTheFlag(string flag, string value)
    {
        var result = Parse(flag, value);

        var error = Assert.Single(result.Errors);
        Assert.Contains(flag, error.Message);
    }

    [Fact]
    public void Parse_UnknownFlag_IsAnError()
    {
        var result = Parse("--no-such-flag");

        Assert.Contains(result.Errors, e => e.Message.Contains("--no-such-flag"));
    }

    [Fact]
    public void Parse_AllowUnprivilegedAfterServe_Accepted()
    {
        var result = Parse("--allow-unprivileged");

        Assert.Empty(result.Errors);
        Assert.True(result.GetValue<bool>("--allow-unprivileged"));
    }

    [Fact]
    public void Parse_Restore_DefaultsToNeverAndTheStateDirectoryToVarLib()
    {
        var options = Read();

        Assert.Equal(RestoreMode.Never, options.Restore);
        Assert.Equal("/var/lib/zeusd", options.StateDirectory);
    }

    [Theory]
    [InlineData("shutdown", RestoreMode.Shutdown)]
    [InlineData("client", RestoreMode.Client)]
    [InlineData("never", RestoreMode.Never)]
    public void Parse_RestoreMode_ReadsIt(string name, RestoreMode mode)
    {
        var result = Parse("--restore", name, "--state-dir", "/tmp/zs");

        Assert.Empty(result.Errors);
        Assert.Equal(mode, result.GetValue<RestoreMode?>("--restore"));
        Assert.Equal("/tmp/zs", result.GetValue<string>("--state-dir"));
    }

    [Fact]
    public void Parse_UnknownRestoreMode_NamesTheChoices()
    {
        var result = Parse("--restore", "always");

        Assert.Equal("Invalid value 'always' for '--restore'. Possible values: never, shutdown, client.", Assert.Single(result.Errors).Message);
    }
}
