using System.CommandLine;
using System.Text;
using System.Text.Json;
using Clearance.Application;
using Clearance.Content;
using Clearance.Evaluation;
using Clearance.Model;
using NodaTime;
using Spectre.Console;

namespace Clearance.Cli.Rules;

/// <summary><c>clearance rules show|timeline|diff</c>: the content over time.</summary>
internal static class RulesCommand
{
    public static Command Create()
    {
        var command = new Command("rules", "Show the rules in force on a date, a country's or an item's history, or what changed between two dates.");
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Timeline());
        command.Subcommands.Add(Diff());
        return command;
    }

    private static Option<string> JurisdictionOption() =>
        new("--jurisdiction", "-j") { Description = "jurisdiction id, e.g. JP or KR (any case)", Required = true, HelpName = "ID" };

    private static Option<string?> CountryOption(string description) =>
        new("--country", "-c") { HelpName = "COUNTRY", Description = description + ": an ISO 3166-1 alpha-2 code (KR) or an English name (\"South Korea\")" };

    private static Option<string?> ItemOption(string description) =>
        new("--item") { HelpName = "ITEM", Description = description + ": a code of the control list (3A090, 3A090.a) or a classification as check takes it (US:3A090, \"JP:3(1)\")" };

    private static Input Given(ParseResult parse, Option<string> option) => new(option.Name, parse.GetValue(option)!);

    private static Input? Optional(ParseResult parse, Option<string?> option) => parse.GetValue(option) is { } value ? new Input(option.Name, value) : null;

    private static Command Show()
    {
        var jurisdiction = JurisdictionOption();
        var date = new DateOption("the date the rules are in force on (YYYY-MM-DD; default: today)");
        var country = CountryOption("only the rules and groups that concern this destination");
        var item = ItemOption("only the rules whose items take this entry, or a paragraph above or below it");
        var output = OutputOption.Create(OutputFormat.Table, OutputFormat.Json, OutputFormat.Csv);
        var knownAsOf = KnownAsOfOption.Create();
        var with = WithOption.Create();
        var command = new Command("show", "The rules in force on a date, and the country groups on that date.") { jurisdiction, country, item, output, knownAsOf, with };
        date.AddTo(command);
        command.SetAction(parse => Run(() =>
        {
            var asOf = parse.GetValue(date.AsOf) is { } old && parse.GetValue(date.Date) is null
                ? new Input("--as-of", old)
                : new Input("--date", date.Get(parse) ?? NodaTime.Text.LocalDatePattern.Iso.Format(LocalDate.FromDateTime(DateTime.Now)));
            var result = Queries(parse, knownAsOf, with).Show(Given(parse, jurisdiction), asOf, Optional(parse, country), Optional(parse, item));
            return Print(parse.GetValue(output), w => RulesJson.Write(w, result), () => RulesCsv.Write(result), () => RulesTables.Show(result));
        }));
        return command;
    }

    private static Command Timeline()
    {
        var jurisdiction = JurisdictionOption();
        var country = CountryOption("the destination");
        var item = ItemOption("the item: its entry, the rules that take it and their changes");

        // A window [since, until), as every period of the content: a change on --since is shown, one on --until is not.
        var since = new Option<string?>("--since") { HelpName = "DATE", Description = "only the changes on or after this date, and the rules and groups in force on a day from it (YYYY-MM-DD)" };
        var until = new Option<string?>("--until") { HelpName = "DATE", Description = "only the changes before this date, not on it (YYYY-MM-DD)" };
        var output = OutputOption.Create(OutputFormat.Table, OutputFormat.Json, OutputFormat.Csv);
        var knownAsOf = KnownAsOfOption.Create();
        var with = WithOption.Create();
        var command = new Command("timeline", "A country's group memberships and the rule changes that concern it, or an item's rules and their changes, over time (both: the item's to the country).")
        {
            jurisdiction, country, item, since, until, output, knownAsOf, with,
        };
        command.SetAction(parse => Run(() =>
        {
            var (givenItem, givenCountry) = (Optional(parse, item), Optional(parse, country));
            if (givenItem is null && givenCountry is null)
            {
                throw RulesQueries.NoSubject(item.Name, country.Name);
            }

            var window = DateWindow.Parse(Optional(parse, since), Optional(parse, until));
            if (givenItem is not null)
            {
                var byItem = Queries(parse, knownAsOf, with).ItemTimeline(Given(parse, jurisdiction), givenItem.Value, givenCountry, window);
                return Print(parse.GetValue(output), w => RulesJson.Write(w, byItem), () => RulesCsv.Write(byItem), () => ItemTables.Timeline(byItem));
            }

            var result = Queries(parse, knownAsOf, with).Timeline(Given(parse, jurisdiction), givenCountry!.Value, window);
            return Print(parse.GetValue(output), w => RulesJson.Write(w, result), () => RulesCsv.Write(result), () => RulesTables.Timeline(result));
        }));
        return command;
    }

    private static Command Diff()
    {
        var jurisdiction = JurisdictionOption();
        var since = new Option<string?>("--since") { HelpName = "DATE", Description = "changes taking effect after this date (YYYY-MM-DD)" };
        var until = new Option<string?>("--until") { HelpName = "DATE", Description = "up to and including this date (YYYY-MM-DD)" };

        // The names before --since/--until, kept for command lines written with them; hidden, as they read like countries.
        var oldFrom = new Option<string?>("--from") { Hidden = true };
        var oldTo = new Option<string?>("--to") { Hidden = true };
        var item = ItemOption("only the changes of the rules whose items take this entry, or a paragraph above or below it");
        var output = OutputOption.Create(OutputFormat.Table, OutputFormat.Json, OutputFormat.Csv);
        var knownAsOf = KnownAsOfOption.Create();
        var with = WithOption.Create();
        var command = new Command("diff", "Every change taking effect after --since, up to and including --until, with its date and citation.")
        {
            jurisdiction, since, until, oldFrom, oldTo, item, output, knownAsOf, with,
        };
        command.Validators.Add(result =>
        {
            foreach (var (option, hidden) in new[] { (since, oldFrom), (until, oldTo) })
            {
                if (result.GetValue(option) is null && result.GetValue(hidden) is null)
                {
                    result.AddError($"{option.Name} is required (YYYY-MM-DD)");
                }
            }
        });
        command.SetAction(parse => Run(() =>
        {
            var result = Queries(parse, knownAsOf, with).Diff(Given(parse, jurisdiction), Either(parse, since, oldFrom), Either(parse, until, oldTo), Optional(parse, item));
            return Print(parse.GetValue(output), w => RulesJson.Write(w, result), () => RulesCsv.Write(result), () => RulesTables.Diff(result));
        }));
        return command;
    }

    private static int Print(string? output, Action<Utf8JsonWriter> json, Action csv, Action table)
    {
        switch (OutputOption.Resolve(output))
        {
            case OutputFormat.Json:
                WriteJson(json);
                break;
            case OutputFormat.Csv:
                csv();
                break;
            default:
                table();
                break;
        }

        return ExitCodes.Done;
    }

    private static Input Either(ParseResult parse, Option<string?> option, Option<string?> hidden) =>
        parse.GetValue(option) is { } value ? new Input(option.Name, value) : new Input(hidden.Name, parse.GetValue(hidden)!);

    private static RulesQueries Queries(ParseResult parse, Option<LocalDate?> knownAsOf, Option<string[]> with) =>
        new(ContentSetup.Content(parse.GetValue(knownAsOf), parse.GetValue(with)));

    /// <summary>One compact JSON object on one line (JSON Lines), raw UTF-8.</summary>
    private static void WriteJson(Action<Utf8JsonWriter> body)
    {
        using var stdout = Console.OpenStandardOutput();
        using (var w = new Utf8JsonWriter(stdout, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            body(w);
        }

        stdout.Write("\n"u8);
    }

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
        catch (ContentValidationException e)
        {
            return WithOption.Report(e);
        }
    }
}

/// <summary>The terminal views of the rules queries: tables that fit 80 columns, every text from content escaped.</summary>
internal static class RulesTables
{
    public static void Show(RulesInForce result)
    {
        var j = result.Jurisdiction;
        AnsiConsole.MarkupLine($"[bold]{TerminalText.Markup(j.Id)}[/] {TerminalText.Markup(j.Name)}: rules in force on [bold]{DateText.Date(result.AsOf)}[/]"
            + (result.Country is { } c ? $" that concern [bold]{c.Value}[/]" : "")
            + (result.Item is { } i ? $"{(result.Country is null ? " that" : " and")} take [bold]{TerminalText.Markup(i.Classification)}[/]" : ""));
        AnsiConsole.MarkupLine($"[dim]{TerminalText.Markup(j.Law)}[/]");
        if (result.Item is { } item)
        {
            ItemTables.Entry(item, paragraphs: false);
        }

        if (result.Country is { } country)
        {
            AnsiConsole.MarkupLine(result.Groups.Count == 0
                ? $"{country.Value} is in no country group on {DateText.Date(result.AsOf)}"
                : $"{country.Value} is in [bold]{TerminalText.Markup(string.Join(" + ", result.Groups.Select(g => g.Name)))}[/] on {DateText.Date(result.AsOf)}");
        }
        else if (result.Groups.Count > 0)
        {
            var groups = new Table().Border(TableBorder.Rounded).AddColumn("group").AddColumn("members");
            foreach (var g in result.Groups)
            {
                var members = g.Members.Count > 60 ? string.Join(" ", g.Members.Take(60)) + $" … ({g.Members.Count} in all)" : string.Join(" ", g.Members);
                groups.AddRow(TerminalText.Markup(g.Name), TerminalText.Markup(members));
            }

            AnsiConsole.Write(groups);
        }

        if (result.Rules.Count == 0)
        {
            AnsiConsole.MarkupLine($"no rules in force on {DateText.Date(result.AsOf)}");
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).Expand()
            .AddColumn(new TableColumn("in force").Width(13))
            .AddColumn("rule");
        foreach (var r in result.Rules)
        {
            table.AddRow(
                Lines(r.Periods.Select(p => Stacked(DateText.Period(p)))),
                $"[bold]{TerminalText.Markup(r.Id)}[/] [dim]{TerminalText.Markup(r.Category)}[/]\n{TerminalText.Markup(r.Description)}\n[dim]{TerminalText.Markup(CitationText(r.Citation))}[/]");
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"{result.Rules.Count} rule(s)");
    }

    public static void Timeline(CountryTimeline result)
    {
        Window(result.Window);
        Groups(result.Jurisdiction, result.Country, result.Groups);
        AnsiConsole.MarkupLine($"Rule changes that concern {result.Country.Value}:");
        Changes(result.Changes);
    }

    /// <summary>The line that says a timeline is cut to a window, so that a short table is not read as the whole history.</summary>
    internal static void Window(DateWindow window)
    {
        if (!window.IsAll)
        {
            AnsiConsole.MarkupLine($"Only [bold]{TerminalText.Markup(window.ToString())}[/] (--since, --until): the changes dated in it, the rules and groups in force on a day of it");
        }
    }

    /// <summary>A destination's groups, period by period.</summary>
    internal static void Groups(Jurisdiction jurisdiction, CountryCode country, IReadOnlyList<GroupSpan> spans)
    {
        AnsiConsole.MarkupLine($"[bold]{country.Value}[/] in {TerminalText.Markup(jurisdiction.Name)}'s country groups:");
        var groups = new Table().Border(TableBorder.Rounded).Expand()
            .AddColumn(new TableColumn("period").Width(26))
            .AddColumn("groups")
            .AddColumn("also in");
        foreach (var g in spans)
        {
            groups.AddRow(Lines([DateText.Period(g.Period).Replace(" (last day)", "\n(last day)", StringComparison.Ordinal)]), TerminalText.Markup(g.Groups.Count == 0 ? "no group" : string.Join(" + ", g.Groups)),
                TerminalText.Markup(string.Join(", ", g.Sets.Where(s => !g.Groups.Contains(s)))));
        }

        AnsiConsole.Write(groups);
    }

    public static void Diff(RuleChanges result)
    {
        AnsiConsole.MarkupLine($"[bold]{TerminalText.Markup(result.Jurisdiction.Id)}[/] {TerminalText.Markup(result.Jurisdiction.Name)}: changes after "
            + $"{DateText.Date(result.Since)}, up to and including {DateText.Date(result.Until)}"
            + (result.Item is { } item ? $", of the rules that take [bold]{TerminalText.Markup(item.Classification)}[/]" : ""));
        if (result.Item is { } entry)
        {
            ItemTables.Entry(entry, paragraphs: false);
        }

        Changes(result.Changes);
    }

    internal static void Changes(IReadOnlyList<Change> changes)
    {
        if (changes.Count == 0)
        {
            AnsiConsole.MarkupLine("no changes");
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).Expand()
            .AddColumn(new TableColumn("effective\n[dim]known[/]").Width(11))
            .AddColumn("change");
        foreach (var c in changes)
        {
            table.AddRow(
                c.Known is { } known ? $"{DateText.Date(c.Date)}\n[dim]{DateText.Date(known.Date)}[/]" : DateText.Date(c.Date),
                $"[bold]{TerminalText.Markup(c.Subject)}[/] [dim]{TerminalText.Markup(c.Kind)}[/]\n{TerminalText.Markup(c.Description)}\n[dim]{TerminalText.Markup(CitationText(c.Citation))}[/]"
                + (c.Known is { } k ? $"\n[dim]known {TerminalText.Markup(DateText.Date(k.Date))}: {TerminalText.Markup(CitationText(k.Citation))}[/]" : ""));
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"{changes.Count} change(s)");
    }

    internal static string Lines(IEnumerable<string> texts) => TerminalText.Markup(string.Join("\n", texts));

    /// <summary>A period on short lines for a narrow column: <c>4 Jul 2019 –</c>, <c>22 Mar 2023</c>, <c>(last day)</c>.</summary>
    internal static string Stacked(string period) => period
        .Replace("from ", "from\n", StringComparison.Ordinal)
        .Replace("until ", "until\n", StringComparison.Ordinal)
        .Replace(" – ", " –\n", StringComparison.Ordinal)
        .Replace(" (last day)", "\n(last day)", StringComparison.Ordinal);

    internal static string CitationText(Citation c) =>
        c.Text + (c.Url is null ? "" : $" <{c.Url}>") + (c.Unconfirmed ? $" [UNCONFIRMED: {c.Note}]" : "");
}

/// <summary>The CSV views of the rules queries: a header row, then one row per rule or change (RFC 4180 quoting, UTF-8).</summary>
internal static partial class RulesCsv
{
    public static void Write(RulesInForce r) =>
        Write(["jurisdiction", "as_of", "country", "rule", "category", "description", "in_force", "citation", "unconfirmed"],
            r.Rules.Select(rule => new[]
            {
                r.Jurisdiction.Id, Iso(r.AsOf), r.Country?.Value ?? "", rule.Id, rule.Category, rule.Description,
                string.Join("; ", rule.Periods.Select(Interval)), RulesTables.CitationText(rule.Citation), rule.Citation.Unconfirmed ? "true" : "false",
            }));

    public static void Write(CountryTimeline t) =>
        Write(["jurisdiction", "country", "effective", "last_day", "kind", "subject", "description", "citation", "known", "known_citation"],
            t.Groups.Select(g => new[]
            {
                t.Jurisdiction.Id, t.Country.Value, g.Period.IsOpenStart ? "" : Iso(g.Period.From), g.Period.To is { } to ? Iso(to.PlusDays(-1)) : "",
                "groups", string.Join(" + ", g.Groups), string.Join(", ", g.Sets), "", "", "",
            }).Concat(t.Changes.Select(c => (string[])
            [
                t.Jurisdiction.Id, t.Country.Value, Iso(c.Date), "", c.Kind, c.Subject, c.Description, RulesTables.CitationText(c.Citation), .. Known(c),
            ])));

    public static void Write(RuleChanges c) =>
        Write(["jurisdiction", "effective", "kind", "subject", "description", "citation", "known", "known_citation"],
            c.Changes.Select(change => (string[])
            [
                c.Jurisdiction.Id, Iso(change.Date), change.Kind, change.Subject, change.Description, RulesTables.CitationText(change.Citation), .. Known(change),
            ]));

    /// <summary>The day a change became known and its citation, or two empty fields when the content does not say.</summary>
    internal static string[] Known(Change c) =>
        c.Known is { } k ? [Iso(k.Date), RulesTables.CitationText(k.Citation)] : ["", ""];

    internal static string Iso(LocalDate d) => NodaTime.Text.LocalDatePattern.Iso.Format(d);

    /// <summary>A period as its first and last day, <c>2019-07-04/2023-03-22</c>, with <c>..</c> for an open end (ISO 8601-2).</summary>
    internal static string Interval(Period p) => $"{(p.IsOpenStart ? ".." : Iso(p.From))}/{(p.To is { } to ? Iso(to.PlusDays(-1)) : "..")}";

    internal static void Write(string[] header, IEnumerable<string[]> rows)
    {
        using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { NewLine = "\n" };
        stdout.WriteLine(string.Join(",", header));
        foreach (var row in rows)
        {
            stdout.WriteLine(string.Join(",", row.Select(Field)));
        }
    }

    private static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
