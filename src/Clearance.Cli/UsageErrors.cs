using System.CommandLine;
using System.CommandLine.Parsing;
using Clearance.Application;

namespace Clearance.Cli;

/// <summary>
/// What a command line that did not parse prints: one line per problem, worded for a person, with the nearest known
/// option or command when one is near (<c>--itme</c>: did you mean <c>--item</c>?), as <c>git</c>, <c>gh</c> and
/// <c>kubectl</c> do. System.CommandLine reports an unknown option and then its value as two unrecognized arguments;
/// the value is not a problem of its own, so it is not reported.
/// </summary>
internal static class UsageErrors
{
    /// <summary>
    /// True when the only problem is a command group given without its subcommand (<c>clearance</c>, <c>clearance
    /// lists</c>): the user is asking what there is, and its help answers.
    /// </summary>
    public static bool IsGroupWithoutSubcommand(ParseResult parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        return parsed.Errors.Count == 1 && parsed.UnmatchedTokens.Count == 0
            && parsed.CommandResult.Command is { Subcommands.Count: > 0, Action: null };
    }

    /// <summary>The lines to print, each <c>error: ...</c>, for <paramref name="parsed"/>'s errors.</summary>
    /// <param name="parsed">A parse with errors.</param>
    /// <param name="args">The command line as given (to tell an unknown option's value from an argument).</param>
    public static IReadOnlyList<string> Lines(ParseResult parsed, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        ArgumentNullException.ThrowIfNull(args);
        var unmatched = parsed.UnmatchedTokens;
        var command = parsed.CommandResult.Command;
        var path = CommandPath(parsed.CommandResult);
        if (command.Subcommands.Count > 0 && unmatched.Count > 0 && !unmatched[0].StartsWith('-'))
        {
            // An unknown command: what follows it belongs to it, and "Required command was not provided" says the same.
            return [$"error: unknown command '{unmatched[0]}' for '{path}'{NearestName.DidYouMean(unmatched[0], command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))} (see '{path} --help')"];
        }

        var lines = new List<string>();

        // The parser's own errors other than "Unrecognized command or argument 'x'" (one per unmatched token), as it words them.
        lines.AddRange(parsed.Errors
            .Where(e => !unmatched.Any(t => e.Message.Contains($"'{t}'", StringComparison.Ordinal)))
            .Select(e => "error: " + e.Message));

        var skip = new HashSet<int>();
        for (var i = 0; i < unmatched.Count; i++)
        {
            if (skip.Contains(i))
            {
                continue;
            }

            var token = unmatched[i];
            if (token.StartsWith('-') && token.Length > 1)
            {
                lines.Add($"error: unknown option '{token}' for '{path}'{NearestName.DidYouMean(token, OptionNames(parsed.CommandResult))} (see '{path} --help')");

                // The word after an unknown option on the command line is its value, not another mistake.
                var at = IndexOf(args, token);
                if (i + 1 < unmatched.Count && at >= 0 && at + 1 < args.Count && args[at + 1] == unmatched[i + 1] && !unmatched[i + 1].StartsWith('-'))
                {
                    skip.Add(i + 1);
                }
            }
            else
            {
                lines.Add($"error: unexpected argument '{token}' for '{path}' (see '{path} --help')");
            }
        }

        return lines;
    }

    private static int IndexOf(IReadOnlyList<string> args, string token)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == token)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>"clearance lists import": the names of the command and its parents.</summary>
    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is not null; r = r.Parent)
        {
            if (r is CommandResult c)
            {
                names.Insert(0, c.Command.Name);
            }
        }

        return string.Join(' ', names);
    }

    /// <summary>Every name and alias of the options the command takes: its own and its parents' recursive ones.</summary>
    private static IEnumerable<string> OptionNames(CommandResult result)
    {
        for (SymbolResult? r = result; r is not null; r = r.Parent)
        {
            if (r is not CommandResult c)
            {
                continue;
            }

            foreach (var option in c.Command.Options.Where(o => !o.Hidden && (r == result || o.Recursive)))
            {
                yield return option.Name;
                foreach (var alias in option.Aliases)
                {
                    yield return alias;
                }
            }
        }
    }
}
