using Microsoft.Extensions.Logging.Abstractions;
using Zeusd.Common;
using Zeusd.GpuWrites;
using Zeusd.Overrides;

namespace Zeusd.Tests.Overrides;

/// <summary>The overrides file's format and the original daemon's error texts (printed after <c>Error: </c>).</summary>
public sealed class GpuCommandOverridesParseTests
{
    private const string Path = "/etc/zeusd/overrides.toml";
    private const string Context = $"Failed to parse GPU command override file '{Path}'\n\nCaused by:\n";

    private static GpuCommandOverrides Parse(string toml) => GpuCommandOverrides.Parse(toml, Path, NullLoggerFactory.Instance);

    private static string ErrorOf(string toml) => Assert.Throws<StartupException>(() => Parse(toml)).Message;

    [Fact]
    public void Parse_EveryOperationAndField_LoadsInDeclarationOrder()
    {
        var overrides = Parse("""
            [reset_locked_clocks]
            commands = ["control {gpu_id}"]
            timeout_s = 7

            [set_persistence_mode]
            commands = ["control --gpu={gpu_id} --enabled={enabled}"]
            error_pattern = "(?i)error"
            timeout_s = 1

            [set_power_limit]
            commands = ["control {gpu_id} {power_limit_mw} {power_limit_w}", "second step"]

            [set_gpu_locked_clocks]
            commands = ["control {gpu_id} {min_clock_mhz} {max_clock_mhz}"]

            [reset_gpu_locked_clocks]
            commands = ["control {gpu_id}"]

            [set_mem_locked_clocks]
            commands = ["control {gpu_id} {min_clock_mhz} {max_clock_mhz}"]

            [reset_mem_locked_clocks]
            commands = ['control {gpu_id}']
            """);

        Assert.Equal(
            ["set_persistence_mode", "set_power_limit", "set_gpu_locked_clocks", "reset_gpu_locked_clocks",
             "set_mem_locked_clocks", "reset_mem_locked_clocks", "reset_locked_clocks"],
            overrides.OverriddenOperationNames);
        Assert.Equal(7ul, overrides.Get(GpuWriteOperation.ResetLockedClocks)!.TimeoutSeconds);
        var power = overrides.Get(GpuWriteOperation.SetPowerLimit)!;
        Assert.Equal(OverrideSpec.DefaultTimeoutSeconds, power.TimeoutSeconds);
        Assert.Equal([["control", "{gpu_id}", "{power_limit_mw}", "{power_limit_w}"], ["second", "step"]], power.Commands);
        Assert.Null(power.ErrorPattern);
        Assert.Matches(overrides.Get(GpuWriteOperation.SetPersistenceMode)!.ErrorPattern!, "an ERROR happened");
    }

    [Fact]
    public void Parse_InlineTable_IsATableToo()
    {
        var overrides = Parse("set_power_limit = { commands = [\"pl {power_limit_w}\"], timeout_s = 3 }\n");
        Assert.Equal(3ul, overrides.Get(GpuWriteOperation.SetPowerLimit)!.TimeoutSeconds);
    }

    [Fact]
    public void Parse_EmptyFile_OverridesNothing()
    {
        var overrides = Parse("# nothing yet\n");
        Assert.True(overrides.IsEmpty);
        Assert.Empty(overrides.OverriddenOperationNames);
    }

    [Fact]
    public void Parse_UnknownTable_IsSerdesUnknownFieldAtTheKey()
    {
        Assert.Equal(Context + """
                TOML parse error at line 1, column 2
                  |
                1 | [set_fan_speed]
                  |  ^^^^^^^^^^^^^
                unknown field `set_fan_speed`, expected one of `set_persistence_mode`, `set_power_limit`, `set_gpu_locked_clocks`, `reset_gpu_locked_clocks`, `set_mem_locked_clocks`, `reset_mem_locked_clocks`, `reset_locked_clocks`

            """ + "    ",
            ErrorOf("[set_fan_speed]\ncommands = [\"control {gpu_id}\"]\n"));
    }

    [Fact]
    public void Parse_UnknownKey_IsSerdesUnknownFieldAtTheKey()
    {
        Assert.Equal(Context + """
                TOML parse error at line 3, column 1
                  |
                3 | working_dir = "/tmp"
                  | ^^^^^^^^^^^
                unknown field `working_dir`, expected one of `commands`, `error_pattern`, `timeout_s`

            """ + "    ",
            ErrorOf("[set_power_limit]\ncommands = [\"control\"]\nworking_dir = \"/tmp\"\n"));
    }

    [Theory]
    [InlineData("commands = \"control\"", "invalid type: string \"control\", expected a sequence")]
    [InlineData("commands = [\"a\", 5]", "invalid type: integer `5`, expected a string")]
    [InlineData("commands = [\"a\"]\ntimeout_s = -1", "invalid value: integer `-1`, expected u64")]
    [InlineData("commands = [\"a\"]\ntimeout_s = 1.5", "invalid type: floating point `1.5`, expected u64")]
    [InlineData("commands = [\"a\"]\ntimeout_s = \"5\"", "invalid type: string \"5\", expected u64")]
    [InlineData("commands = [\"a\"]\nerror_pattern = true", "invalid type: boolean `true`, expected a string")]
    public void Parse_WrongValueType_IsSerdesInvalidType(string body, string message)
    {
        string error = ErrorOf("[set_power_limit]\n" + body + "\n");
        Assert.StartsWith(Context + "    TOML parse error at line ", error);
        Assert.EndsWith("\n    " + message + "\n    ", error);
    }

    [Fact]
    public void Parse_OperationThatIsNotATable_IsAnInvalidType()
    {
        Assert.EndsWith("\n    invalid type: integer `5`, expected struct RawOverrideSpec\n    ", ErrorOf("set_power_limit = 5\n"));
    }

    [Fact]
    public void Parse_TableWithoutCommands_IsAMissingFieldAtTheHeader()
    {
        Assert.Equal(Context + """
                TOML parse error at line 1, column 1
                  |
                1 | [reset_locked_clocks]
                  | ^^^^^^^^^^^^^^^^^^^^^
                missing field `commands`

            """ + "    ",
            ErrorOf("[reset_locked_clocks]\ntimeout_s = 5\n"));
    }

    [Theory]
    [InlineData("[set_power_limit]\ncommands = [\"a\"]\ncommands = [\"b\"]\n")]
    [InlineData("[set_power_limit]\ncommands = [\"a\"]\n[set_power_limit]\ncommands = [\"b\"]\n")]
    public void Parse_KeyOrTableDefinedTwice_IsRefusedNotLastWins(string toml)
    {
        string error = ErrorOf(toml);
        Assert.StartsWith(Context + "    TOML parse error at line 3, column 1\n", error);
        Assert.Contains("already defined", error);
    }

    [Fact]
    public void Parse_BrokenToml_NamesThePosition()
    {
        Assert.StartsWith(Context + "    TOML parse error at line 3, column 1\n", ErrorOf("[set_power_limit]\ncommands = [\"x\"\n"));
    }

    [Fact]
    public void Parse_EmptyCommands_IsRefused()
    {
        Assert.Equal(Context + "    Operation 'set_power_limit' has an empty commands array", ErrorOf("[set_power_limit]\ncommands = []\n"));
    }

    [Fact]
    public void Parse_ZeroTimeout_IsRefused()
    {
        Assert.Equal(Context + "    Operation 'set_power_limit' has timeout_s = 0, which would kill every command immediately",
            ErrorOf("[set_power_limit]\ncommands = [\"control\"]\ntimeout_s = 0\n"));
    }

    [Theory]
    [InlineData("[", "Invalid pattern '[' at offset 1. Unterminated [] set.")]
    [InlineData("(a", "Invalid pattern '(a' at offset 2. Not enough )'s.")]
    public void Parse_PatternThatDoesNotCompile_IsRefusedWithTheReason(string pattern, string reason)
    {
        Assert.Equal(Context + $"    0: Operation 'set_power_limit' has invalid error_pattern '{pattern}'\n    1: regex parse error: {reason}",
            ErrorOf($"[set_power_limit]\ncommands = [\"control\"]\nerror_pattern = \"{pattern}\"\n"));
    }

    [Theory]
    [InlineData(@"(a)\1")]
    [InlineData("foo(?=bar)")]
    public void Parse_PatternNeedingBacktracking_IsRefusedAsRustDoes(string pattern)
    {
        Assert.StartsWith(Context + $"    0: Operation 'reset_locked_clocks' has invalid error_pattern '{pattern}'\n    1: regex parse error: ",
            ErrorOf($"[reset_locked_clocks]\ncommands = [\"control\"]\nerror_pattern = '{pattern}'\n"));
    }

    [Fact]
    public void Parse_RustNamedGroup_Compiles()
    {
        var spec = Parse("[reset_locked_clocks]\ncommands = [\"control\"]\nerror_pattern = '(?P<word>fail(ed)?)'\n").Get(GpuWriteOperation.ResetLockedClocks)!;
        Assert.Matches(spec.ErrorPattern!, "it failed");
        Assert.Equal("(?P<word>fail(ed)?)", spec.ErrorPatternText);
    }

    [Fact]
    public void Parse_UnbalancedQuote_CannotBeSplit()
    {
        Assert.Equal(Context + "    0: Operation 'reset_locked_clocks' has a command that cannot be split: control '\n    1: missing closing quote",
            ErrorOf("[reset_locked_clocks]\ncommands = [\"control '\"]\n"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("# just a comment")]
    public void Parse_CommandWithoutWords_SplitsToZeroTokens(string command)
    {
        Assert.Equal(Context + "    Operation 'reset_locked_clocks' has a command that splits to zero tokens",
            ErrorOf($"[reset_locked_clocks]\ncommands = [\"ok\", \"{command}\"]\n"));
    }

    [Theory]
    [InlineData("value}")]
    [InlineData("{gpu_id")]
    [InlineData("{{gpu_id}")]
    public void Parse_BadPlaceholder_NamesTheToken(string token)
    {
        Assert.Equal(Context + $"    Operation 'reset_locked_clocks' has an invalid placeholder in token '{token}'",
            ErrorOf($"[reset_locked_clocks]\ncommands = [\"control {token}\"]\n"));
    }

    [Fact]
    public void Parse_PlaceholderOfAnotherOperation_IsUnknown()
    {
        Assert.Equal(Context + "    Operation 'set_power_limit' has unknown placeholder '{max_clock_mhz}' in token '--value={max_clock_mhz}'",
            ErrorOf("[set_power_limit]\ncommands = [\"control --value={max_clock_mhz}\"]\n"));
    }

    [Fact]
    public void Parse_ShapeErrorsAnywhere_WinOverContentErrors_ContentErrorsGoInDeclarationOrder()
    {
        // The shape of the whole document is checked first, so the later unknown key wins over the earlier empty array.
        Assert.Contains("unknown field `bogus`", ErrorOf("[set_power_limit]\ncommands = []\n[reset_locked_clocks]\ncommands = [\"x\"]\nbogus = 1\n"));
        // Contents are checked in declaration order, not document order.
        Assert.Equal(Context + "    Operation 'set_power_limit' has an empty commands array",
            ErrorOf("[reset_locked_clocks]\ncommands = []\n[set_power_limit]\ncommands = []\n"));
    }

    [Fact]
    public void Parse_ReadmeExample_OverridesEveryOperation()
    {
        string readme = File.ReadAllText(RepositoryFile("README.md"));
        int start = readme.IndexOf("```toml\n# /etc/zeusd/overrides.toml", StringComparison.Ordinal);
        Assert.True(start >= 0, "README has no overrides example");
        start = readme.IndexOf('\n', start) + 1;
        string toml = readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)];

        var overrides = Parse(toml);

        Assert.Equal(OverrideOperations.TableNames, overrides.OverriddenOperationNames);
        Assert.Equal(2, overrides.Get(GpuWriteOperation.ResetLockedClocks)!.Commands.Count);
    }

    private static string RepositoryFile(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, name)) && File.Exists(System.IO.Path.Combine(dir.FullName, "Zeusd.slnx")))
            {
                return System.IO.Path.Combine(dir.FullName, name);
            }
        }
        throw new FileNotFoundException(name);
    }
}
