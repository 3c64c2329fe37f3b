using System.CommandLine;
using System.CommandLine.Parsing;
using Zeusd.Auth;
using Zeusd.Configuration;

namespace Zeusd.Cli;

/// <summary><c>zeusd token issue</c>: prints a signed token for a user and scopes, and nothing else.</summary>
public static class TokenCommand
{
    public static Command Create()
    {
        var signingKey = new Option<string>("--signing-key-path")
        {
            Description = "HS256 signing key file (the same file the daemon uses)",
            Required = true,
        };
        var user = new Option<string>("--user") { Description = "User name; becomes the token's sub claim", Required = true };
        var scope = new Option<IReadOnlyList<ApiGroup>>("--scope")
        {
            Description = "Granted API groups, comma-separated or repeated: gpu-control, gpu-read, cpu-read",
            DefaultValueFactory = _ => [],
            CustomParser = ParseScopes,
            Arity = ArgumentArity.OneOrMore,
        };
        var expires = new Option<string>("--expires")
        {
            Description = "Lifetime: e.g. 1h, 7d, 30d, '1h 30m', 2weeks, 1y, or never",
            Required = true,
        };

        var issue = new Command("issue", "Issue a signed JWT for a user");
        issue.Options.Add(signingKey);
        issue.Options.Add(user);
        issue.Options.Add(scope);
        issue.Options.Add(expires);
        issue.SetAction(result =>
        {
            string token = TokenIssuer.Issue(
                result.GetValue(signingKey)!, result.GetValue(user)!, result.GetValue(scope)!, result.GetValue(expires)!, TimeProvider.System);
            Console.Out.Write(token + "\n");
            return ExitCodes.Success;
        });

        var token = new Command("token", "Manage authentication tokens");
        token.Subcommands.Add(issue);
        return token;
    }

    private static IReadOnlyList<ApiGroup> ParseScopes(ArgumentResult result)
    {
        var scopes = new List<ApiGroup>();
        foreach (var token in result.Tokens)
        {
            foreach (var part in token.Value.Split(','))
            {
                if (!ApiGroups.TryParse(part, out var group))
                {
                    result.AddError($"Invalid value '{part}' for '--scope'. Possible values: gpu-control, gpu-read, cpu-read.");
                    return [];
                }
                scopes.Add(group.Value);
            }
        }
        return scopes;
    }
}
