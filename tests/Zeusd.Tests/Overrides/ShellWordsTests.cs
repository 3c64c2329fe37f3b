using Zeusd.Overrides;

namespace Zeusd.Tests.Overrides;

public sealed class ShellWordsTests
{
    public static TheoryData<string, string[]> Splits => new()
    {
        { "nvidia-smi -i 0 -pl 250", ["nvidia-smi", "-i", "0", "-pl", "250"] },
        { "  a \t b\n c  ", ["a", "b", "c"] },
        { "sudo 'set power' \"limit {gpu_id}\"", ["sudo", "set power", "limit {gpu_id}"] },
        { "a'b'\"c\"d", ["abcd"] },
        { "''", [""] },
        { "x '' y", ["x", "", "y"] },
        // No expansion, globbing, pipes or redirection: the characters stay literal.
        { "echo $HOME *.txt | tee >out; rm &", ["echo", "$HOME", "*.txt", "|", "tee", ">out;", "rm", "&"] },
        { "echo `id` $(id) ~", ["echo", "`id`", "$(id)", "~"] },
        // Backslashes: escape outside quotes, literal inside single quotes, escape only $ ` \" \\ inside double quotes.
        { @"a\ b \$x", ["a b", "$x"] },
        { @"'\n'", [@"\n"] },
        { "\"\\$ \\` \\\" \\\\ \\a\"", ["$ ` \" \\ \\a"] },
        { "a\\\nb", ["ab"] },
        { "a\\", ["a\\"] },
        { "\\", ["\\"] },
        // Comments start only at a word's beginning.
        { "cmd # the rest", ["cmd"] },
        { "cmd a#b", ["cmd", "a#b"] },
        { "", [] },
        { "# only a comment", [] },
    };

    [Theory]
    [MemberData(nameof(Splits))]
    public void Split_ShellSyntax_GivesTheShellsWords(string line, string[] expected)
    {
        Assert.Equal(expected, ShellWords.Split(line));
    }

    [Theory]
    [InlineData("control '")]
    [InlineData("control \"abc")]
    [InlineData("'\\")]
    [InlineData("\"\\")]
    public void Split_UnclosedQuote_IsRefused(string line)
    {
        Assert.Null(ShellWords.Split(line));
    }

    [Theory]
    [InlineData(new[] { "nvidia-smi", "-i", "0" }, "nvidia-smi -i 0")]
    [InlineData(new[] { "sh", "-c", "exit 3" }, "sh -c 'exit 3'")]
    [InlineData(new[] { "set", "--gpu=0" }, "set '--gpu=0'")]
    [InlineData(new[] { "say", "it's" }, @"say 'it'\''s'")]
    [InlineData(new[] { "empty", "" }, "empty ''")]
    [InlineData(new[] { "two\nlines" }, "'two\nlines'")]
    public void Join_Words_QuotesOnlyWhatAShellWouldChange(string[] words, string expected)
    {
        Assert.Equal(expected, ShellWords.Join(words));
    }

    public static TheoryData<string[]> RoundTrips => new()
    {
        { ["python", "-c", "print('Hello world!')"] },
        { ["echo", " arg with spaces ", "arg ' with \" quotes"] },
        { ["$", "`test`", "~user/log*", "", "\n\n\t "] },
    };

    [Theory]
    [MemberData(nameof(RoundTrips))]
    public void Join_ThenSplit_GivesTheWordsBack(string[] words)
    {
        Assert.Equal(words, ShellWords.Split(ShellWords.Join(words)));
    }
}
