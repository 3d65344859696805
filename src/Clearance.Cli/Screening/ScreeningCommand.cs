using System.CommandLine;
using System.Text.Json;
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
        var command = new Command("decide", "Record a decision on a party against a list entry: a false positive stops the alert holding the party's lines until the entry changes; a true match holds every line of the party. Applied at submit and by shipments recheck.")
        {
            party, entity, decision, reason, actor, output, db,
        };
        command.SetAction(parse =>
        {
            var kind = parse.GetValue(decision)!.Trim().ToLowerInvariant();
            if (!ScreeningDecisionKind.All.Contains(kind))
            {
                Console.Error.WriteLine($"error: --decision: '{parse.GetValue(decision)}' is not one of {string.Join(", ", ScreeningDecisionKind.All)}{NearestName.DidYouMean(kind, ScreeningDecisionKind.All)}");
                return ExitCodes.Failed;
            }

            var text = parse.GetValue(entity)!.Trim();
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || colon == text.Length - 1)
            {
                Console.Error.WriteLine($"error: --entity: '{text}' is not LIST:ENTRY_ID (e.g. ofac-sdn:36, as a screening-match reason names list and entity)");
                return ExitCodes.Failed;
            }

            var name = parse.GetValue(party)!.Trim();
            var key = ShipmentWorkflow.Normalize(name);
            if (key.Length == 0)
            {
                Console.Error.WriteLine($"error: --party: '{name}' has nothing to screen (no letters or digits)");
                return ExitCodes.Failed;
            }

            if (string.IsNullOrWhiteSpace(parse.GetValue(reason)))
            {
                Console.Error.WriteLine("error: --reason: give the reason (it is recorded)");
                return ExitCodes.Failed;
            }

            if (Licenses.LicensesCommand.OpenStore(parse.GetValue(db), ScreeningDecisionStore.Open) is not { } store)
            {
                return ExitCodes.Failed;
            }

            ScreeningDecision recorded;
            try
            {
                recorded = store.Decide(name, key, text[..colon], text[(colon + 1)..], kind, parse.GetValue(reason)!.Trim(), parse.GetValue(actor)!);
            }
            catch (ScreeningDecisionException e)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return ExitCodes.Failed;
            }

            Write([new DecisionState(recorded, recorded.ContentHash)], parse.GetValue(output));
            if (!Console.IsErrorRedirected || OutputOption.Resolve(parse.GetValue(output)) == OutputFormat.Table)
            {
                Console.Error.WriteLine("note: run `clearance shipments recheck` to apply it to the lines submitted already");
            }

            return ExitCodes.Done;
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

    private static string Status(DecisionState s) => s.Applies ? "applies" : s.CurrentHash is null ? "lapsed: entry no longer listed" : "lapsed: entry changed";

    private static void Write(IReadOnlyList<DecisionState> states, string? output)
    {
        if (OutputOption.Resolve(output) == OutputFormat.Json)
        {
            using var stdout = Console.OpenStandardOutput();
            using var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            foreach (var s in states)
            {
                var d = s.Decision;
                writer.WriteStartObject();
                writer.WriteNumber("id", d.Id);
                writer.WriteString("party", d.Party);
                writer.WriteString("entity", $"{d.EntityList}:{d.EntityId}");
                writer.WriteString("entry_name", d.EntryName);
                writer.WriteString("decision", d.Decision);
                writer.WriteString("reason", d.Reason);
                writer.WriteString("decided_by", d.Actor);
                writer.WriteString("decided_at", InstantPattern.ExtendedIso.Format(d.DecidedAt));
                writer.WriteString("list", d.ListId);
                writer.WriteNumber("list_version", d.VersionNo);
                writer.WriteString("content_hash", d.ContentHash);
                writer.WriteString("status", Status(s));
                writer.WriteEndObject();
                writer.Flush();
                stdout.WriteByte((byte)'\n');
                writer.Reset();
            }

            return;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumns("id", "party", "entry", "decision", "by", "at", "reason", "status");
        foreach (var s in states)
        {
            var d = s.Decision;
            table.AddRow(d.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), TerminalText.Markup(d.Party), TerminalText.Markup($"{d.EntityList}:{d.EntityId} {d.EntryName}"),
                d.Decision, TerminalText.Markup(d.Actor), InstantPattern.General.Format(d.DecidedAt), TerminalText.Markup(d.Reason),
                s.Applies ? "[green]applies[/]" : "[yellow]" + Status(s) + "[/]");
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"{states.Count} decision(s)");
    }
}
