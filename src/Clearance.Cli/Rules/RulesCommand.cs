using System.CommandLine;
using System.Text.Json;
using Clearance.Application;
using Clearance.Content;
using Clearance.Evaluation;
using Clearance.Model;
using NodaTime;
using NodaTime.Text;
using Spectre.Console;

namespace Clearance.Cli.Rules;

/// <summary><c>clearance rules show|timeline|diff</c>: the content over time.</summary>
internal static class RulesCommand
{
    public static Command Create()
    {
        var command = new Command("rules", "Show the rules in force on a date, a country's history, or what changed between two dates.");
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Timeline());
        command.Subcommands.Add(Diff());
        return command;
    }

    private static Option<string> JurisdictionOption() => new("--jurisdiction", "-j") { Description = "jurisdiction id, e.g. JP or KR", Required = true };

    private static Option<string> DateOption(string name, string description) => new(name) { Description = description + " (YYYY-MM-DD)", Required = true };

    private static Input Given(ParseResult parse, Option<string> option) => new(option.Name, parse.GetValue(option)!);

    private static Command Show()
    {
        var jurisdiction = JurisdictionOption();
        var asOf = DateOption("--as-of", "the date");
        var country = new Option<string?>("--country") { Description = "only rules that concern this destination" };
        var output = OutputOption.Create();
        var command = new Command("show", "The rules in force on a date.") { jurisdiction, asOf, country, output };
        command.SetAction(parse => Run(() =>
        {
            var result = Queries().Show(Given(parse, jurisdiction), Given(parse, asOf), parse.GetValue(country) is { } c ? new Input("--country", c) : null);
            if (OutputOption.Resolve(parse.GetValue(output)) == OutputFormat.Json)
            {
                WriteJson(w => RulesJson.Write(w, result));
                return 0;
            }

            var j = result.Jurisdiction;
            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(j.Name)}[/] ({Markup.Escape(j.Law)}) in force on [bold]{Iso(result.AsOf)}[/]");
            var groupTable = new Table().Border(TableBorder.Rounded).AddColumns("group", "members");
            foreach (var g in result.Groups)
            {
                groupTable.AddRow(Markup.Escape(g.Name), result.Country is { } d ? d.Value : string.Join(" ", g.Members.Count > 60 ? [.. g.Members.Take(60), $"… ({g.Members.Count})"] : g.Members));
            }

            AnsiConsole.Write(groupTable);
            var table = new Table().Border(TableBorder.Rounded).Expand().AddColumns("rule", "kind", "what", "in force", "citation");
            foreach (var r in result.Rules)
            {
                table.AddRow(Markup.Escape(r.Id), r.Category, Markup.Escape(r.Description), Markup.Escape(string.Join(" ", r.Periods)), Markup.Escape(CitationText(r.Citation)));
            }

            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }

    private static Command Timeline()
    {
        var jurisdiction = JurisdictionOption();
        var country = new Option<string>("--country") { Description = "destination country", Required = true };
        var output = OutputOption.Create();
        var command = new Command("timeline", "A country's group memberships and the rule changes that concern it, over time.") { jurisdiction, country, output };
        command.SetAction(parse => Run(() =>
        {
            var result = Queries().Timeline(Given(parse, jurisdiction), Given(parse, country));
            if (OutputOption.Resolve(parse.GetValue(output)) == OutputFormat.Json)
            {
                WriteJson(w => RulesJson.Write(w, result));
                return 0;
            }

            var groupTable = new Table().Border(TableBorder.Rounded).AddColumns("from", "to", "groups", "tables and groups");
            foreach (var g in result.Groups)
            {
                groupTable.AddRow(g.Period.IsOpenStart ? "…" : Iso(g.Period.From), g.Period.To is { } t ? Iso(t) : "…", Markup.Escape(string.Join(", ", g.Groups)), Markup.Escape(string.Join(", ", g.Sets)));
            }

            AnsiConsole.MarkupLine($"[bold]{result.Country}[/] in {Markup.Escape(result.Jurisdiction.Name)}'s country groups (periods [[from, to))");
            AnsiConsole.Write(groupTable);
            RenderChanges(result.Changes);
            return 0;
        }));
        return command;
    }

    private static Command Diff()
    {
        var jurisdiction = JurisdictionOption();
        var from = DateOption("--from", "changes after this date");
        var to = DateOption("--to", "up to and including this date");
        var output = OutputOption.Create();
        var command = new Command("diff", "Every change taking effect after --from and on or before --to, with its date and citation.") { jurisdiction, from, to, output };
        command.SetAction(parse => Run(() =>
        {
            var result = Queries().Diff(Given(parse, jurisdiction), Given(parse, from), Given(parse, to));
            if (OutputOption.Resolve(parse.GetValue(output)) == OutputFormat.Json)
            {
                WriteJson(w => RulesJson.Write(w, result));
                return 0;
            }

            AnsiConsole.MarkupLine($"Changes in {Markup.Escape(result.Jurisdiction.Name)} after {Iso(result.From)} up to {Iso(result.To)}:");
            RenderChanges(result.Changes);
            return 0;
        }));
        return command;
    }

    private static RulesQueries Queries() => new(ContentLoader.LoadBuiltIn());

    private static void RenderChanges(IReadOnlyList<Change> changes)
    {
        var table = new Table().Border(TableBorder.Rounded).Expand().AddColumns("effective", "change", "subject", "what", "citation");
        foreach (var c in changes)
        {
            table.AddRow(Iso(c.Date), c.Kind, Markup.Escape(c.Subject), Markup.Escape(c.Description), Markup.Escape(CitationText(c.Citation)));
        }

        AnsiConsole.Write(table);
    }

    private static string CitationText(Citation c) =>
        c.Text + (c.Url is null ? "" : $" <{c.Url}>") + (c.Unconfirmed ? $" [UNCONFIRMED: {c.Note}]" : "");

    private static void WriteJson(Action<Utf8JsonWriter> body)
    {
        using var stdout = Console.OpenStandardOutput();
        using (var w = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            body(w);
        }

        stdout.Write("\n"u8);
    }

    private static string Iso(LocalDate d) => LocalDatePattern.Iso.Format(d);

    private static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (RulesQueryException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return ExitCodes.Failed;
        }
    }
}
