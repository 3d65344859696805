using Clearance.Application;
using Spectre.Console;

namespace Clearance.Cli.Rules;

/// <summary>
/// The terminal view of <c>rules timeline --item</c>: the entry with its reasons for control and the list's date, the
/// rules that take it (those that name it or select it by its reasons first, then those for every item, shorter), and
/// their changes; tables that fit 80 columns, every text from content escaped.
/// </summary>
internal static class ItemTables
{
    public static void Timeline(ItemTimeline result)
    {
        var j = result.Jurisdiction;
        AnsiConsole.MarkupLine($"[bold]{TerminalText.Markup(result.Item.Classification)}[/] under {TerminalText.Markup(j.Name)}"
            + (result.Country is { } c ? $", to [bold]{c.Value}[/]" : ""));
        RulesTables.Window(result.Window);
        Entry(result.Item, paragraphs: true);
        if (result.Country is { } country)
        {
            RulesTables.Groups(j, country, result.Groups);
        }

        var specific = result.Rules.Where(r => r.Selects != "any").ToList();
        var everyItem = result.Rules.Where(r => r.Selects == "any").ToList();
        AnsiConsole.MarkupLine($"Rules that take {TerminalText.Markup(result.Item.Entry.Code)} by its code or its reasons for control ({specific.Count}):");
        Rules(specific, full: true);
        if (everyItem.Count > 0)
        {
            AnsiConsole.MarkupLine($"Rules for every item ({everyItem.Count}: embargoes, end users, end uses; in full with --output json):");
            Rules(everyItem, full: false);
        }

        AnsiConsole.MarkupLine($"Changes of these rules{(result.Country is { } to ? $" as they apply to {to.Value}" : "")}, by day (each rule above):");
        ChangeDays(result.Changes);
    }

    /// <summary>The entry: its code and title, where it sits, its attributes, and what the list's date means.</summary>
    public static void Entry(ItemEntry item, bool paragraphs)
    {
        AnsiConsole.MarkupLine($"[bold]{TerminalText.Markup(item.Entry.Code)}[/] {TerminalText.Markup(item.Entry.Title)}");
        if (item.Above.Count > 0)
        {
            AnsiConsole.MarkupLine($"  under {TerminalText.Markup(string.Join(" › ", item.Above.Select(a => a.Code)))}");
        }

        if (item.Attributes.Count > 0)
        {
            AnsiConsole.MarkupLine($"  {TerminalText.Markup(ItemEntry.Describe(item.Attributes))}");
        }

        AnsiConsole.MarkupLine($"  [dim]{TerminalText.Markup(RulesTables.CitationText(item.Entry.Citation))}[/]");
        if (item.ListNote is { } note)
        {
            AnsiConsole.MarkupLine($"  [yellow]{TerminalText.Markup(note)}[/]");
        }

        if (!paragraphs || item.Below.Count == 0)
        {
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).Expand()
            .AddColumn(new TableColumn("paragraph").Width(12))
            .AddColumn(new TableColumn("adds").Width(18))
            .AddColumn("title");
        foreach (var below in item.Below)
        {
            table.AddRow(TerminalText.Markup(below.Code), TerminalText.Markup(ItemEntry.Describe(below.Attributes, names: false)), TerminalText.Markup(below.Title));
        }

        AnsiConsole.Write(table);
    }

    private static void Rules(List<ItemRule> rules, bool full)
    {
        if (rules.Count == 0)
        {
            AnsiConsole.MarkupLine("none");
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).Expand()
            .AddColumn(new TableColumn("in force").Width(13))
            .AddColumn("rule");
        foreach (var r in rules)
        {
            var text = $"[bold]{TerminalText.Markup(r.Id)}[/] [dim]{TerminalText.Markup(r.CoverageText)}[/]\n"
                + TerminalText.Markup($"{r.EffectText}; to {r.Destinations}") + $"\n{TerminalText.Markup(r.Summary.Label)}";
            if (full)
            {
                text += (r.When is { } when ? $"\n{TerminalText.Markup("when " + when)}" : "")
                    + $"\n[dim]{TerminalText.Markup(r.Citation.Text + (r.Citation.Unconfirmed ? " [unconfirmed: see --output json]" : ""))}[/]";
            }

            table.AddRow(RulesTables.Lines(r.Periods.Select(p => RulesTables.Stacked(DateText.Period(p)))), text);
        }

        AnsiConsole.Write(table);
    }

    /// <summary>One row per day something changes: the rules that start and stop, each with the day it was known when the content says.</summary>
    private static void ChangeDays(IReadOnlyList<Clearance.Evaluation.Change> changes)
    {
        if (changes.Count == 0)
        {
            AnsiConsole.MarkupLine("no changes");
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).Expand()
            .AddColumn(new TableColumn("effective").Width(11))
            .AddColumn("rules that start (+) and stop (−)");
        foreach (var day in changes.GroupBy(c => c.Date))
        {
            var lines = day.OrderBy(c => c.Kind == "rule-start").Select(c =>
                $"{(c.Kind == "rule-start" ? "+" : "−")} {c.Subject}" + (c.Known is { } k ? $" (known {DateText.Date(k.Date)})" : ""));
            table.AddRow(DateText.Date(day.Key), RulesTables.Lines(lines));
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"{changes.Count} change(s) on {changes.Select(c => c.Date).Distinct().Count()} day(s)");
    }
}

/// <summary>The CSV of <c>rules timeline --item</c>: one row per entry, paragraph, group span, rule period or change, with the JSON's names as columns.</summary>
internal static partial class RulesCsv
{
    public static void Write(ItemTimeline t)
    {
        var (j, item, country) = (t.Jurisdiction.Id, t.Item.Classification, t.Country?.Value ?? "");
        string[] Row(string row, string subject, string kind, string effective, string lastDay, string description, string attributes = "",
            string effect = "", string license = "", string condition = "", string when = "", string reviewPolicy = "", string citation = "", string[]? known = null) =>
            [j, item, country, row, subject, kind, effective, lastDay, description, attributes, effect, license, condition, when, reviewPolicy, citation, .. known ?? ["", ""],
                row == "entry" && t.Jurisdiction.ListAsOf is { } asOf ? Iso(asOf) : ""];

        var entry = t.Item.Entry;
        var rows = new List<string[]>
        {
            Row("entry", entry.Code, "entry", "", "", entry.Title, ItemEntry.Describe(t.Item.Attributes), citation: RulesTables.CitationText(entry.Citation)),
        };
        rows.AddRange(t.Item.Below.Select(p => Row("paragraph", p.Code, "paragraph", "", "", p.Title, ItemEntry.Describe(t.Jurisdiction.AttributesOf(p)))));
        rows.AddRange(t.Groups.Select(g => Row("groups", string.Join(" + ", g.Groups), "groups", g.Period.IsOpenStart ? "" : Iso(g.Period.From),
            g.Period.To is { } to ? Iso(to.PlusDays(-1)) : "", string.Join(", ", g.Sets))));
        rows.AddRange(t.Rules.SelectMany(r => r.Periods.Select(p => Row("rule", r.Id, $"{r.Category} {r.Kind}", p.IsOpenStart ? "" : Iso(p.From),
            p.To is { } to ? Iso(to.PlusDays(-1)) : "", r.Summary.Description, "", r.Effect, r.License ?? "", r.Condition ?? "", r.When ?? "", r.ReviewPolicy ?? "",
            RulesTables.CitationText(r.Citation), p.StartKnown is { } k ? [Iso(k.Date), RulesTables.CitationText(k.Citation)] : null))));
        rows.AddRange(t.Changes.Select(c => Row("change", c.Subject, c.Kind, Iso(c.Date), "", c.Description, citation: RulesTables.CitationText(c.Citation), known: Known(c))));
        Write(["jurisdiction", "item", "country", "row", "subject", "kind", "effective", "last_day", "description", "attributes", "effect", "license", "condition", "when",
            "review_policy", "citation", "known", "known_citation", "list_as_of"], rows);
    }
}
