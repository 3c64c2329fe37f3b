using System.CommandLine;
using Zeusd.Policy;

namespace Zeusd.Cli;

/// <summary><c>zeusd policy check FILE</c>: validates a policy file as <c>serve --policy</c> would and prints its grants.</summary>
public static class PolicyCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "The policy file (TOML) to check" };
        var check = new Command("check", "Validate a policy file and print one line per grant (name, who, scopes, GPUs, bounds)");
        check.Arguments.Add(file);
        check.SetAction(result =>
        {
            AccessPolicy policy;
            try
            {
                policy = AccessPolicy.Load(result.GetValue(file)!);
            }
            catch (PolicyException ex)
            {
                Console.Error.Write($"Error: {ex.Message}\n");
                return ExitCodes.RuntimeError;
            }
            foreach (var grant in policy.Grants)
            {
                Console.Out.Write(GrantSummary.Of(grant) + "\n");
            }
            return ExitCodes.Success;
        });

        var policyCommand = new Command("policy", "Work with access policy files (serve --policy)");
        policyCommand.Subcommands.Add(check);
        return policyCommand;
    }
}
