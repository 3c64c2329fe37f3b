using Zeusd.Configuration;
using Zeusd.Policy;

namespace Zeusd.Tests.Policy;

/// <summary>The policy file's TOML: what a valid file means and the error each mistake gets.</summary>
public sealed class PolicyParserTests
{
    private const string Full = """
        [[grant]]
        name = "ml-team"
        users = ["nobody", 1001]
        groups = ["nogroup", 2000]
        subjects = ["ci"]
        scopes = ["gpu-read", "gpu-control", "cpu-read"]
        gpus = [3, 0, 1, 2]
        power_limit_mw = { min = 150000, max = 300000 }
        gpu_locked_clocks_mhz = { min = 900, max = 1980 }
        mem_locked_clocks_mhz = { min = 800, max = 1593 }
        persistence_mode = false

        [[grant]]
        name = "readers"
        users = ["*"]
        scopes = ["gpu-read"]
        """;

    private static string Error(string toml) => Assert.Throws<PolicyException>(() => AccessPolicy.FromText(toml)).Message;

    [Fact]
    public void Parse_FullExample_ResolvesNamesAndKeepsEveryBound()
    {
        var grants = AccessPolicy.FromText(Full).Grants;

        Assert.Equal(["ml-team", "readers"], grants.Select(g => g.Name));
        var ml = grants[0];
        Assert.Equal([1001u, 65534u], ml.Uids.Order());
        Assert.Equal([2000u, 65534u], ml.Gids.Order());
        Assert.Equal(["ci"], ml.Subjects);
        Assert.Equal([ApiGroup.GpuRead, ApiGroup.GpuControl, ApiGroup.CpuRead], ml.Scopes);
        Assert.Equal([0, 1, 2, 3], ml.Gpus!);
        Assert.Equal(new ValueRange(150000, 300000), ml.PowerLimitMw);
        Assert.Equal(new ValueRange(900, 1980), ml.GpuLockedClocksMhz);
        Assert.Equal(new ValueRange(800, 1593), ml.MemLockedClocksMhz);
        Assert.False(ml.PersistenceMode);
        Assert.Equal("user nobody(65534), uid 1001, group nogroup(65534), gid 2000, token ci", ml.Who);
        Assert.True(grants[1].AnyCaller);
        Assert.Null(grants[1].Gpus);
        Assert.True(grants[1].PersistenceMode);
    }

    [Fact]
    public void Parse_OneSidedRange_OtherBoundIsOpen()
    {
        var grant = AccessPolicy.FromText("""
            [[grant]]
            name = "cap"
            users = [5]
            scopes = ["gpu-control"]
            power_limit_mw = { max = 200000 }
            gpu_locked_clocks_mhz = { min = 500 }
            """).Grants[0];

        Assert.Equal(new ValueRange(0, 200000), grant.PowerLimitMw);
        Assert.Equal(new ValueRange(500, uint.MaxValue), grant.GpuLockedClocksMhz);
    }

    public static TheoryData<string, string> Mistakes => new()
    {
        { "[[grant]]\nname = \"a\"\nusers = [1]\nscopes = [\"gpu-read\"]\nuserz = [2]\n", "grant 'a': key 'userz': unknown key" },
        { "[[grant]]\nname = \"a\"\nusers = [\"no-such-user-zeusd\"]\nscopes = [\"gpu-read\"]\n", "grant 'a': key 'users': unknown user 'no-such-user-zeusd'" },
        { "[[grant]]\nname = \"a\"\ngroups = [\"no-such-group-zeusd\"]\nscopes = [\"gpu-read\"]\n", "grant 'a': key 'groups': unknown group 'no-such-group-zeusd'" },
        { "[[grant]]\nname = \"a\"\nscopes = [\"gpu-read\"]\n", "grant 'a': key 'users': the grant names no users, groups or subjects, so it matches nobody" },
        { "[[grant]]\nname = \"a\"\nusers = []\nscopes = [\"gpu-read\"]\n", "grant 'a': key 'users': the array is empty" },
        { "[[grant]]\nname = \"a\"\nusers = [1]\n", "grant 'a': key 'scopes': missing" },
        { "[[grant]]\nname = \"a\"\nusers = [1]\nscopes = []\n", "grant 'a': key 'scopes': the array is empty" },
        { "[[grant]]\nname = \"a\"\nusers = [1]\nscopes = [\"gpu-write\"]\n", "grant 'a': key 'scopes': unknown scope the string \"gpu-write\"" },
        { "[[grant]]\nname = \"a\"\nusers = [1]\nscopes = [\"gpu-control\"]\npower_limit_mw = { min = 300000, max = 150000 }\n", "grant 'a': key 'power_limit_mw': min 300000 is greater than max 150000" },
        { "[[grant]]\nname = \"a\"\nusers = [1]\nscopes = [\"gpu-control\"]\ngpu_locked_clocks_mhz = { min = 2, max = 1 }\n", "grant 'a': key 'gpu_locked_clocks_mhz': min 2 is greater than max 1" },
        { "[[grant]]\nname = \"a\"\nusers = [1]\nscopes = [\"gpu-control\"]\nmem_locked_clocks_mhz = { low = 2 }\n", "grant 'a': key 'mem_locked_clocks_mhz': unknown key 'low'" },
        { "[[grant]]\nname = \"a\"\nusers = [1]\nscopes = [\"gpu-control\"]\npower_limit_mw = { min = -1 }\n", "grant 'a': key 'power_limit_mw.min': expected a non-negative integer, found the integer -1" },
        { "[[grant]]\nname = \"a\"\nusers = [1]\nscopes = [\"gpu-control\"]\npower_limit_mw = 5\n", "grant 'a': key 'power_limit_mw': expected a table" },
        { "[[grant]]\nname = \"a\"\nusers = [1]\nscopes = [\"gpu-control\"]\npersistence_mode = \"no\"\n", "grant 'a': key 'persistence_mode': expected true or false" },
        { "[[grant]]\nname = \"a\"\nusers = [1]\nscopes = [\"gpu-read\"]\ngpus = [0]\n", "grant 'a': key 'gpus': only applies to gpu-control" },
        { "[[grant]]\nname = \"a\"\nusers = [1]\nscopes = [\"gpu-control\"]\ngpus = [\"0\"]\n", "grant 'a': key 'gpus': expected a GPU index, found the string \"0\"" },
        { "[[grant]]\nname = \"a\"\nusers = [-4]\nscopes = [\"gpu-read\"]\n", "grant 'a': key 'users': expected a user name, a uid or \"*\", found the integer -4" },
        { "[[grant]]\nname = \"a\"\nsubjects = [\"*\"]\nscopes = [\"gpu-read\"]\n", "grant 'a': key 'subjects': entries must be token subjects" },
        { "[[grant]]\nusers = [1]\nscopes = [\"gpu-read\"]\n", "grant #1: key 'name' is missing" },
        { "[[grant]]\nname = \"a\"\nusers = [1]\nscopes = [\"gpu-read\"]\n[[grant]]\nname = \"a\"\nusers = [2]\nscopes = [\"gpu-read\"]\n", "grant 'a': key 'name': another grant has the same name" },
        { "version = 1\n", "unknown top-level key 'version'" },
        { "", "no [[grant]]" },
        { "grant = 5\n", "'grant' must be an array of tables" },
        { "[[grant]\n", "not valid TOML: line 1, column " },
        { "x = \n", "not valid TOML: line 1, column 5: Unexpected token end-of-line found while expecting a value" },
        { "[[grant]]\nname = \"a\"\nname = \"b\"\n", "not valid TOML: line 3, column 1: The key `grant.name` is already defined at (2,1)" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void Parse_Mistake_ErrorNamesTheGrantAndTheKey(string toml, string expected)
    {
        Assert.StartsWith(expected, Error(toml));
    }
}
