using System.CommandLine;
using System.Text.Json;
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

    private static Command Show()
    {
        var jurisdiction = JurisdictionOption();
        var asOf = DateOption("--as-of", "the date");
        var country = new Option<string?>("--country") { Description = "only rules that concern this destination" };
        var output = OutputOption.Create();
        var command = new Command("show", "The rules in force on a date.") { jurisdiction, asOf, country, output };
        command.SetAction(parse => Run(() =>
        {
            var j = FindJurisdiction(parse.GetValue(jurisdiction)!);
            var date = ParseDate("--as-of", parse.GetValue(asOf)!);
            CountryCode? destination = parse.GetValue(country) is { } c ? ParseCountry("--country", c) : null;
            var rules = ChangeLog.InForce(j, date, destination);
            var groups = j.Sets.Where(s => s.IsGroup).Select(s => (s.Name, Members: CountryCode.All.Where(c => ReferenceEvaluator.IsMember(j, s.Id, c, date)).Select(c => c.Value).ToList())).ToList();
            if (OutputOption.Resolve(parse.GetValue(output)) == OutputFormat.Json)
            {
                WriteJson(w =>
                {
                    w.WriteString("jurisdiction", j.Id);
                    w.WriteString("as_of", Iso(date));
                    if (destination is { } d)
                    {
                        w.WriteString("country", d.Value);
                        w.WriteStartArray("country_groups");
                        foreach (var g in groups.Where(g => g.Members.Contains(d.Value)))
                        {
                            w.WriteStringValue(g.Name);
                        }

                        w.WriteEndArray();
                    }
                    else
                    {
                        w.WriteStartObject("groups");
                        foreach (var g in groups)
                        {
                            w.WriteStartArray(g.Name);
                            g.Members.ForEach(w.WriteStringValue);
                            w.WriteEndArray();
                        }

                        w.WriteEndObject();
                    }

                    w.WriteStartArray("rules");
                    foreach (var r in rules)
                    {
                        WriteRule(w, r);
                    }

                    w.WriteEndArray();
                });
                return 0;
            }

            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(j.Name)}[/] ({Markup.Escape(j.Law)}) in force on [bold]{Iso(date)}[/]");
            var groupTable = new Table().Border(TableBorder.Rounded).AddColumns("group", "members");
            foreach (var g in groups.Where(g => destination is not { } d || g.Members.Contains(d.Value)))
            {
                groupTable.AddRow(Markup.Escape(g.Name), destination is { } d ? d.Value : string.Join(" ", g.Members.Count > 60 ? [.. g.Members.Take(60), $"… ({g.Members.Count})"] : g.Members));
            }

            AnsiConsole.Write(groupTable);
            var table = new Table().Border(TableBorder.Rounded).Expand().AddColumns("rule", "kind", "what", "in force", "citation");
            foreach (var r in rules)
            {
                table.AddRow(Markup.Escape(r.Id), r.Category, Markup.Escape(r.Description), string.Join(" ", r.Periods), Markup.Escape(CitationText(r.Citation)));
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
            var j = FindJurisdiction(parse.GetValue(jurisdiction)!);
            var c = ParseCountry("--country", parse.GetValue(country)!);
            var (groups, changes) = ChangeLog.Timeline(j, c);
            if (OutputOption.Resolve(parse.GetValue(output)) == OutputFormat.Json)
            {
                WriteJson(w =>
                {
                    w.WriteString("jurisdiction", j.Id);
                    w.WriteString("country", c.Value);
                    w.WriteStartArray("groups");
                    foreach (var g in groups)
                    {
                        w.WriteStartObject();
                        WritePeriod(w, g.Period);
                        w.WriteStartArray("groups");
                        foreach (var name in g.Groups)
                        {
                            w.WriteStringValue(name);
                        }

                        w.WriteEndArray();
                        w.WriteStartArray("sets");
                        foreach (var name in g.Sets)
                        {
                            w.WriteStringValue(name);
                        }

                        w.WriteEndArray();
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                    WriteChanges(w, changes);
                });
                return 0;
            }

            var groupTable = new Table().Border(TableBorder.Rounded).AddColumns("from", "to", "groups", "tables and groups");
            foreach (var g in groups)
            {
                groupTable.AddRow(g.Period.IsOpenStart ? "…" : Iso(g.Period.From), g.Period.To is { } t ? Iso(t) : "…", Markup.Escape(string.Join(", ", g.Groups)), Markup.Escape(string.Join(", ", g.Sets)));
            }

            AnsiConsole.MarkupLine($"[bold]{c}[/] in {Markup.Escape(j.Name)}'s country groups (periods [from, to))");
            AnsiConsole.Write(groupTable);
            RenderChanges(changes);
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
            var j = FindJurisdiction(parse.GetValue(jurisdiction)!);
            var start = ParseDate("--from", parse.GetValue(from)!);
            var end = ParseDate("--to", parse.GetValue(to)!);
            if (end < start)
            {
                throw new CliException($"--to {Iso(end)} is before --from {Iso(start)}");
            }

            var changes = ChangeLog.Between(j, start, end);
            if (OutputOption.Resolve(parse.GetValue(output)) == OutputFormat.Json)
            {
                WriteJson(w =>
                {
                    w.WriteString("jurisdiction", j.Id);
                    w.WriteString("from", Iso(start));
                    w.WriteString("to", Iso(end));
                    WriteChanges(w, changes);
                });
                return 0;
            }

            AnsiConsole.MarkupLine($"Changes in {Markup.Escape(j.Name)} after {Iso(start)} up to {Iso(end)}:");
            RenderChanges(changes);
            return 0;
        }));
        return command;
    }

    private static void RenderChanges(IReadOnlyList<Change> changes)
    {
        var table = new Table().Border(TableBorder.Rounded).Expand().AddColumns("effective", "change", "subject", "what", "citation");
        foreach (var c in changes)
        {
            table.AddRow(Iso(c.Date), c.Kind, Markup.Escape(c.Subject), Markup.Escape(c.Description), Markup.Escape(CitationText(c.Citation)));
        }

        AnsiConsole.Write(table);
    }

    private static void WriteChanges(Utf8JsonWriter w, IReadOnlyList<Change> changes)
    {
        w.WriteStartArray("changes");
        foreach (var c in changes)
        {
            w.WriteStartObject();
            w.WriteString("effective", Iso(c.Date));
            w.WriteString("kind", c.Kind);
            w.WriteString("subject", c.Subject);
            w.WriteString("description", c.Description);
            Clearance.Application.ResultJson.WriteCitation(w, c.Citation);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteRule(Utf8JsonWriter w, RuleSummary r)
    {
        w.WriteStartObject();
        w.WriteString("id", r.Id);
        w.WriteString("category", r.Category);
        w.WriteString("description", r.Description);
        w.WriteStartArray("periods");
        foreach (var p in r.Periods)
        {
            w.WriteStartObject();
            WritePeriod(w, p);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        Clearance.Application.ResultJson.WriteCitation(w, r.Citation);
        w.WriteEndObject();
    }

    private static void WritePeriod(Utf8JsonWriter w, Period p)
    {
        if (p.IsOpenStart)
        {
            w.WriteNull("from");
        }
        else
        {
            w.WriteString("from", Iso(p.From));
        }

        if (p.To is { } to)
        {
            w.WriteString("to", Iso(to));
        }
        else
        {
            w.WriteNull("to");
        }
    }

    private static string CitationText(Citation c) =>
        c.Text + (c.Url is null ? "" : $" <{c.Url}>") + (c.Unconfirmed ? $" [UNCONFIRMED: {c.Note}]" : "");

    private static void WriteJson(Action<Utf8JsonWriter> body)
    {
        using var stdout = Console.OpenStandardOutput();
        using (var w = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        stdout.Write("\n"u8);
    }

    private static Jurisdiction FindJurisdiction(string id) =>
        ContentLoader.LoadBuiltIn() is var content && content.Find(id) is { } j
            ? j
            : throw new CliException($"--jurisdiction: no content for '{id}' (available: {string.Join(", ", content.Jurisdictions.Select(x => x.Id))})");

    internal static LocalDate ParseDate(string option, string text) =>
        LocalDatePattern.Iso.Parse(text) is { Success: true } r ? r.Value : throw new CliException($"{option}: '{text}' is not a valid date (YYYY-MM-DD)");

    internal static CountryCode ParseCountry(string option, string text) =>
        CountryCode.TryParse(text, out var c) ? c : throw new CliException($"{option}: '{text}' is not an ISO 3166-1 alpha-2 country code");

    private static string Iso(LocalDate d) => LocalDatePattern.Iso.Format(d);

    internal static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (CliException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 2;
        }
    }
}

/// <summary>A user error on the command line: printed as "error: message", exit code 2.</summary>
internal sealed class CliException(string message) : Exception(message);
