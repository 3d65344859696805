using System.CommandLine;
using Clearance.Application;
using Clearance.Store;
using NodaTime.Text;
using Spectre.Console;

namespace Clearance.Cli.Screening;

/// <summary><c>clearance screening</c>: analysts' decisions on screening alerts (false positive or true match), and their list.</summary>
internal static class ScreeningCommand
{
    public static Command Create()
    {
        var command = new Command("screening", "Decisions on screening alerts: decide (false positive or true match, bound to the entry's content), decisions.");
        command.Subcommands.Add(CreateDecide());
        command.Subcommands.Add(CreateDecisions());
        return command;
    }

    private static Command CreateDecide()
    {
        var party = new Option<string>("--party") { Description = "the party's name, as on the shipment lines (matched by its screening-normalised form)", Required = true };
        var entity = new Option<string>("--entity") { Description = "the list entry, LIST:ENTRY_ID as the alert names it (e.g. ofac-sdn:36)", Required = true };
        var decision = new Option<string>("--decision") { Description = "false-positive or true-match", Required = true };
        var reason = new Option<string>("--reason") { Description = "why (required, recorded)", Required = true };
        var actor = Licenses.LicensesCommand.ActorOption();
        var output = OutputOption.Create(OutputFormat.Table, OutputFormat.Json);
        var db = Licenses.LicensesCommand.DbOption();
        var noRecheck = Shipments.RecheckCommand.NoRecheckOption();
        var command = new Command("decide", "Record a decision on a party against a list entry: a false positive stops the alert holding the party's lines until the entry changes; a true match holds every line of the party. Applied at submit, and to the held and released lines by the recheck that follows (unless --no-recheck).")
        {
            party, entity, decision, reason, actor, output, db, noRecheck,
        };
        command.SetAction(parse =>
        {
            if (ScreeningDecisionInput.Parse(parse.GetValue(party), parse.GetValue(entity), parse.GetValue(decision), parse.GetValue(reason), out var invalid) is not { } input)
            {
                Console.Error.WriteLine($"error: --{invalid!.Field}: {invalid.Message}");
                return ExitCodes.Failed;
            }

            if (Licenses.LicensesCommand.OpenStore(parse.GetValue(db), ScreeningDecisionStore.Open) is not { } store)
            {
                return ExitCodes.Failed;
            }

            if (input.Record(store, parse.GetValue(actor)!, out var refused) is not { } recorded)
            {
                Console.Error.WriteLine($"error: --{refused!.Field}: {refused.Message}");
                return ExitCodes.Failed;
            }

            Write([recorded], parse.GetValue(output));
            if (parse.GetValue(noRecheck) && (!Console.IsErrorRedirected || OutputOption.Resolve(parse.GetValue(output)) == OutputFormat.Table))
            {
                Console.Error.WriteLine("note: run `clearance shipments recheck` to apply it to the lines submitted already");
            }

            // The decision changes the status of the party's lines already held or released: the team expects them to
            // follow at once, as they do after a list import or a licence change.
            return Shipments.RecheckCommand.Then(ExitCodes.Done, parse.GetValue(db), parse.GetValue(noRecheck), parse.GetValue(actor));
        });
        return command;
    }

    private static Command CreateDecisions()
    {
        var output = OutputOption.Create(OutputFormat.Table, OutputFormat.Json);
        var db = Licenses.LicensesCommand.DbOption();
        var command = new Command("decisions", "Every screening decision, oldest first, with whether it applies to the active lists (a false positive lapses when its entry changes).") { output, db };
        command.SetAction(parse =>
        {
            if (Licenses.LicensesCommand.OpenStore(parse.GetValue(db), ScreeningDecisionStore.Open) is not { } store)
            {
                return ExitCodes.Failed;
            }

            Write(store.States(), parse.GetValue(output));
            return ExitCodes.Done;
        });
        return command;
    }

    private static void Write(IReadOnlyList<DecisionState> states, string? output)
    {
        if (OutputOption.Resolve(output) == OutputFormat.Json)
        {
            foreach (var line in ScreeningDecisionInput.Lines(states))
            {
                Console.Out.WriteLine(line);
            }

            return;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumns("id", "party", "entry", "decision", "by", "at", "reason", "status");
        foreach (var s in states)
        {
            var d = s.Decision;
            table.AddRow(d.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), TerminalText.Markup(d.Party), TerminalText.Markup($"{d.EntityList}:{d.EntityId} {d.EntryName}"),
                d.Decision, TerminalText.Markup(d.Actor), InstantPattern.General.Format(d.DecidedAt), TerminalText.Markup(d.Reason),
                s.Applies ? "[green]applies[/]" : "[yellow]" + ScreeningDecisionInput.Status(s) + "[/]");
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"{states.Count} decision(s)");
    }
}
