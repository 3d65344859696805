using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Clearance.Application;
using Clearance.Cli.Licenses;
using NodaTime.Text;
using Spectre.Console;

namespace Clearance.Cli.Audit;

/// <summary><c>clearance audit</c>: check the hash chain of the audit trail, export it.</summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var command = new Command("audit", "The audit trail: verify its hash chain, export it, replay a recorded determination.");
        command.Subcommands.Add(CreateVerify());
        command.Subcommands.Add(CreateExport());
        command.Subcommands.Add(CreateReplay());
        return command;
    }

    private static Command CreateVerify()
    {
        var db = LicensesCommand.DbOption();
        var command = new Command("verify", "Check every record's hash and link; names the first record altered, removed or inserted (exit 1).") { db };
        command.SetAction(parse =>
        {
            if (LicensesCommand.OpenStore(parse.GetValue(db)) is not { } store)
            {
                return ExitCodes.Failed;
            }

            var verification = AuditVerification.Of(store.Audit);
            if (!verification.Intact)
            {
                Console.Error.WriteLine("error: " + verification.Describe());
                return ExitCodes.Failed;
            }

            Console.Out.WriteLine(verification.Describe());
            return ExitCodes.Done;
        });
        return command;
    }

    private static Command CreateExport()
    {
        var from = new Option<string?>("--since") { Description = "first instant or date included (ISO 8601)" };
        var to = new Option<string?>("--until") { Description = "first instant or date excluded (ISO 8601)" };
        var db = LicensesCommand.DbOption();
        var command = new Command("export", "Write the audit records as JSON Lines, with their hashes, in sequence order.") { from, to, db };
        command.SetAction(parse =>
        {
            NodaTime.Instant? since, until;
            try
            {
                since = AuditJson.ParseBound(parse.GetValue(from), "--since");
                until = AuditJson.ParseBound(parse.GetValue(to), "--until");
            }
            catch (FormatException e)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return ExitCodes.Failed;
            }

            if (LicensesCommand.OpenStore(parse.GetValue(db)) is not { } store)
            {
                return ExitCodes.Failed;
            }

            using var stdout = new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false), 1 << 16);
            foreach (var r in store.Audit.Read(since, until))
            {
                stdout.WriteLine(AuditJson.Line(r));
            }

            return ExitCodes.Done;
        });
        return command;
    }

    private static Command CreateReplay()
    {
        var sequence = new Argument<string>("SEQUENCE") { Description = "the audit record's sequence number (audit export shows them)" };
        var output = OutputOption.Create(OutputFormat.Table, OutputFormat.Json);
        var db = LicensesCommand.DbOption();
        var command = new Command("replay", "Evaluate a recorded determination again with the content and list versions its record names, and compare: exit 0 when the answer is the same, 1 naming the fields that differ.")
        {
            sequence, output, db,
        };
        command.SetAction(parse =>
        {
            var text = parse.GetValue(sequence)!;
            if (!long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) || number < 1)
            {
                Console.Error.WriteLine($"error: SEQUENCE: '{text}' is not an audit record's sequence number (1, 2, 3...; audit export shows them)");
                return ExitCodes.Failed;
            }

            if (LicensesCommand.OpenStore(parse.GetValue(db), AuditReplay.Open) is not { } replay)
            {
                return ExitCodes.Failed;
            }

            ReplayResult result;
            try
            {
                result = replay.Replay(number);
            }
            catch (AuditReplayException e)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return ExitCodes.Failed;
            }

            if (OutputOption.Resolve(parse.GetValue(output)) == OutputFormat.Json)
            {
                Console.Out.WriteLine(ReplayJson.Line(result));
            }
            else
            {
                RenderReplay(result);
            }

            var r = result.Record;
            if (!result.Intact)
            {
                Console.Error.WriteLine($"warning: record {r.Sequence} does not match its hash: it was altered after it was recorded (audit verify)");
            }

            if (result.Same)
            {
                return ExitCodes.Done;
            }

            Console.Error.WriteLine($"error: record {r.Sequence} replays differently: {string.Join(", ", result.Differences.Select(d => d.Field))}");
            return ExitCodes.Failed;
        });
        return command;
    }

    private static void RenderReplay(ReplayResult result)
    {
        var r = result.Record;
        var grid = new Table().Border(TableBorder.Rounded).HideHeaders().AddColumns("field", "value");
        grid.AddRow("[bold]record[/]", TerminalText.Markup($"{r.Sequence} {r.Action} {r.Subject}"));
        grid.AddRow("[bold]recorded[/]", TerminalText.Markup($"{InstantPattern.General.Format(r.Time)} by {r.Actor}"));
        grid.AddRow("[bold]content[/]", TerminalText.Markup(r.ContentVersion));
        grid.AddRow("[bold]lists[/]", TerminalText.Markup(r.ListVersions.Length == 0 ? "none" : r.ListVersions.Replace(",", ", ", StringComparison.Ordinal)));
        grid.AddRow("[bold]replay[/]", result.Same ? "[green]same[/]" : $"[red]different[/]: {result.Differences.Count} field(s)");
        AnsiConsole.Write(grid);
        if (result.Same)
        {
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumns("field", "recorded", "replayed");
        foreach (var d in result.Differences)
        {
            table.AddRow(TerminalText.Markup(d.Field), TerminalText.Markup(d.Recorded), TerminalText.Markup(d.Replayed));
        }

        AnsiConsole.Write(table);
    }
}
