using Clearance.Application;
using Clearance.Evaluation;
using Clearance.Model;
using Spectre.Console;

namespace Clearance.Cli.Check;

/// <summary>
/// Check results for people: one shipment as a field/value grid, several as one table row each (id, date, from, to,
/// item, verdict, covered-by, first ground) with the counts by verdict under it. Every restricted-party match of the end
/// user or consignee is shown, whatever its list: a ground in red, a possible match in fuchsia, a warning (another
/// list, or the consignee) in orange. Text from data is escaped line by line.
/// </summary>
internal static class CheckTable
{
    /// <summary>The colour of a match that is only a warning: its own, distinct from every verdict's.</summary>
    public const string WarningColour = "orange1";

    /// <summary>From this terminal width on, the batch table has a column each for from, to and covered-by.</summary>
    public const int WideColumns = 100;

    /// <summary>Writes <paramref name="results"/> to <paramref name="console"/>; with <paramref name="trace"/>, every rule consulted.</summary>
    public static void Render(IAnsiConsole console, IReadOnlyList<CheckedLine> results, bool trace)
    {
        if (results is [{ Result: { } single }])
        {
            console.Write(One(single, trace));
            return;
        }

        if (results.Count == 0)
        {
            console.MarkupLine("no shipments in the input");
            return;
        }

        console.Write(Batch(results, console.Profile.Width >= WideColumns));
        MatchDetails(console, results);
        var counts = results.GroupBy(r => r.Result is { } res ? Determination.Name(res.Determination.Verdict) : "error")
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Count()} {(g.Key == "error" ? "[red]error[/]" : VerdictMarkup(Parse(g.Key), bold: false))}");
        var hits = results.Count(r => r.Result is { } res && PartyHits.Any(res.EndUser, res.Consignee, res.Parties));
        console.MarkupLine($"{results.Count} line(s): {string.Join(", ", counts)}"
            + (hits > 0 ? $"; [{WarningColour}]{hits} with a restricted-party match[/]" : ""));
        if (results.FirstOrDefault(r => r.Result is not null).Result is { } first)
        {
            console.MarkupLine($"[grey]content {Text(first.Determination.ContentVersion)}[/]");
        }

        // The lists every screened party of the batch was checked against (one index serves the whole batch).
        if (results.Select(r => r.Result?.EndUser.ScreenedAgainst).FirstOrDefault(l => l is { Count: > 0 }) is { } lists)
        {
            console.MarkupLine($"[grey]screened against {Text(Screen.ScreenCommand.ListsText(lists))}[/]");
        }

        if (trace)
        {
            foreach (var line in results.Where(r => r.Result is not null))
            {
                console.MarkupLine($"[bold]trace of {Text(line.Id?.Text ?? $"line {line.Line}")}[/]");
                console.Write(Trace(line.Result!.Determination));
            }
        }
    }

    private static Verdict Parse(string name) => name switch
    {
        "prohibited" => Verdict.Prohibited,
        "license-required" => Verdict.LicenseRequired,
        "indeterminate" => Verdict.Indeterminate,
        _ => Verdict.NoLicenseRequired,
    };

    /// <summary>
    /// Several shipments: one row each. The date, countries and verdict never wrap; the id, item and covered-by wrap when
    /// they must, and the ground column takes the rest of the width. Each restricted-party match is named in the ground
    /// cell (list and entry), in its colour; the details follow the table.
    /// </summary>
    /// <remarks>
    /// Below <see cref="WideColumns"/> columns (an 80-column terminal) the route is one column (<c>JP→KR</c>) and the
    /// licence that covers the export is under the verdict, so that the ground keeps about 30 columns.
    /// </remarks>
    private static Table Batch(IReadOnlyList<CheckedLine> results, bool wide)
    {
        var table = new Table().Border(TableBorder.Simple);
        void Column(string header, bool noWrap, int padRight = 1)
        {
            var column = new TableColumn(header).PadLeft(0).PadRight(padRight);
            table.AddColumn(noWrap ? column.NoWrap() : column);
        }

        Column("id", noWrap: false);
        Column("date", noWrap: true);
        if (wide)
        {
            Column("from", noWrap: true);
            Column("to", noWrap: true);
        }
        else
        {
            Column("from→to", noWrap: true);
        }

        Column("item", noWrap: false);
        // The verdict never wraps, in either layout: "no-license-required" broken into "no-license-requi" and "red" is
        // read as two words. Below WideColumns the covering licence goes on lines of its own under it.
        Column(wide ? "verdict" : "verdict, covered by", noWrap: true);
        if (wide)
        {
            Column("covered by", noWrap: false);
        }

        Column("ground", noWrap: false, padRight: 0);
        foreach (var line in results)
        {
            var id = Text(line.Id?.Text ?? $"line {line.Line}");
            if (line.Result is not { } r)
            {
                var error = $"[red]{Text(line.Error!.Code)}[/]: {Text(line.Error.Message)}";
                table.AddRow(wide ? [id, "", "", "", "", "[red]error[/]", "", error] : [id, "", "", "", "[red]error[/]", error]);
                continue;
            }

            var d = r.Determination;
            var s = r.Shipment;
            var ground = d.Grounds.Count > 0 ? $"{Names.Of(d.Grounds[0].Kind)}: {d.Grounds[0].Rule}" + (d.Grounds.Count > 1 ? $" (+{d.Grounds.Count - 1})" : "")
                : d.MissingFacts.Count > 0 ? "missing: " + string.Join(", ", d.MissingFacts)
                : "";
            var cell = Text(ground);
            foreach (var hit in Hits(r))
            {
                cell += (cell.Length > 0 ? "\n" : "") + $"[{hit.Colour}]{(hit.Colour == WarningColour ? "⚠ " : "")}{Text(hit.Party)} on {Text(hit.Match.ListId)}: {Text(hit.Match.Name)}[/]";
            }

            foreach (var warning in d.Warnings)
            {
                cell += (cell.Length > 0 ? "\n" : "") + $"[{WarningColour}]⚠ {Text(warning)}[/]";
            }

            var date = NodaTime.Text.LocalDatePattern.Iso.Format(s.Date);
            // Narrow: one classification a line, so that a line of several regimes ("JP:7(19) US:3B993") does not widen
            // the item column at the ground's expense.
            var item = Text(string.Join(wide ? " " : "\n", s.Classifications));
            var verdict = VerdictMarkup(d.Verdict, bold: false);
            table.AddRow(wide
                ? [id, date, s.From.Value, s.To.Value, item, verdict, Text(r.CoveredBy ?? ""), cell]
                : [id, date, $"{s.From.Value}→{s.To.Value}", item, verdict + (r.CoveredBy is { } covered ? $"\ncovered:\n{Text(covered)}" : ""), cell]);
        }

        return table;
    }

    /// <summary>Every match of every line in full (entry id, score, what it does), under the table.</summary>
    private static void MatchDetails(IAnsiConsole console, IReadOnlyList<CheckedLine> results)
    {
        var first = true;
        foreach (var line in results)
        {
            if (line.Result is not { } r)
            {
                continue;
            }

            foreach (var hit in Hits(r))
            {
                if (first)
                {
                    console.MarkupLine("[bold]restricted-party matches[/]");
                    first = false;
                }

                console.MarkupLine($"[{hit.Colour}]{Text(line.Id?.Text ?? $"line {line.Line}")} {Text(hit.Party)}: {Text(PartyHits.Describe(hit.Match))}: {Text(hit.Effect)}[/]");
            }
        }
    }

    /// <summary>One match of a party, with its effect and colour.</summary>
    private readonly record struct Hit(string Party, EndUserMatch Match, string Effect, string Colour);

    /// <summary>Every match of the parties under the primary regime, coloured by what it does.</summary>
    private static IEnumerable<Hit> Hits(CheckResult r)
    {
        var isGround = r.Determination.Grounds.Any(g => g.Kind == RequirementKind.EndUser);
        foreach (var m in r.EndUser.Matches)
        {
            var effect = r.EndUser.Effect(m, isGround);
            // A match that answered a fact screening decides (the EAR's lists) is coloured by its answer.
            var colour = r.EndUser.ScreenedFactOf(m) is { } screened ? (screened.Value == "true" ? "red" : screened.Value is null ? "fuchsia" : "grey")
                : r.EndUser.IsWarning(m) ? WarningColour
                : r.EndUser.Status == EndUserStatus.PossibleMatch ? "fuchsia"
                : r.EndUser.Status == EndUserStatus.Listed ? "red"
                : "grey";
            yield return new Hit("end user", m, effect, colour);
        }

        var others = new List<(ScreenedParty Party, string Label, EndUserResult Screening)>();
        if (r.Consignee is { } consignee)
        {
            others.Add((ScreenedParty.Consignee, ConsigneeScreening.Role(ScreenedParty.Consignee), consignee));
        }

        // A line may give several intermediate consignees: each row names its own.
        others.AddRange((r.Parties ?? []).Select(p => (p.Party,
            p.Party == ScreenedParty.IntermediateConsignee ? $"{ConsigneeScreening.Role(p.Party)} '{p.Name}'" : ConsigneeScreening.Role(p.Party), p.Screening)));
        foreach (var (party, label, screening) in others)
        {
            foreach (var m in screening.Matches)
            {
                // The EAR's lists answer their facts for every party to the transaction: coloured by the answer.
                var colour = screening.ScreenedFactOf(m) is { } screened ? (screened.Value == "true" ? "red" : screened.Value is null ? "fuchsia" : "grey") : WarningColour;
                yield return new Hit(label, m, ConsigneeScreening.Effect(screening, m, party), colour);
            }
        }
    }

    private static string VerdictMarkup(Verdict verdict, bool bold) => verdict switch
    {
        Verdict.Prohibited => "[red bold]prohibited[/]",
        Verdict.LicenseRequired => bold ? "[yellow bold]license-required[/]" : "[yellow]license-required[/]",
        Verdict.Indeterminate => bold ? "[fuchsia bold]indeterminate[/]" : "[fuchsia]indeterminate[/]",
        _ => bold ? "[green bold]no-license-required[/]" : "[green]no-license-required[/]",
    };

    /// <summary>One shipment: a field/value grid, readable at any terminal width; with several regimes, the combined answer and then each regime's.</summary>
    private static Table One(CheckResult r, bool trace)
    {
        var d = r.Determination;
        var grid = new Table().Border(TableBorder.Rounded).HideHeaders().AddColumns("field", "value");
        void Row(string field, string value) => grid.AddRow($"[bold]{field}[/]", value);
        Row("verdict", VerdictMarkup(d.Verdict, bold: true));
        Row("as of", NodaTime.Text.LocalDatePattern.Iso.Format(r.Shipment.Date));
        Row("jurisdiction", Text(d.Jurisdiction));
        if (r.IsCombined)
        {
            foreach (var regime in r.Regimes)
            {
                var rd = regime.Determination;
                Row($"regime {Text(regime.Jurisdiction.Id)}", VerdictMarkup(rd.Verdict, bold: false) + "\n" + Text(
                    $"{ItemText(regime)}{(rd.EligibleLicenses.Count > 0 ? "\neligible: " + string.Join(", ", rd.EligibleLicenses) : "")}\n{rd.Explanation}"));
            }
        }
        else
        {
            Row("item", Text(ItemText(r.Primary)));
        }

        Row("destination groups", Text(string.Join(", ", d.DestinationGroups)));
        if (d.Verdict == Verdict.LicenseRequired)
        {
            Row("eligible licences", Text(string.Join("\n", d.EligibleLicenses.Select(l =>
                l + (l == r.CoveredBy ? " (held: covers this export)" : "") + (d.LicenseConditions.TryGetValue(l, out var c) ? $" — only {c}" : "")))));
            Row("covered by", Text(r.CoveredBy ?? PartlyCovered(r) ?? "none of the held licences"));
            Row("review", d.ReviewDays is { } days ? $"individual licence: up to {days} days" : "");
        }

        foreach (var g in d.Grounds)
        {
            Row($"ground ({Names.Of(g.Kind)})", Text($"{g.Title}\n{g.Citation.Text}{(g.Citation.Url is null ? "" : "\n" + g.Citation.Url)}\nrule {g.Rule}"));
        }

        if (d.MissingFacts.Count > 0)
        {
            Row("missing facts", Text(string.Join("\n", d.MissingFacts)));
        }

        if (d.Unconfirmed.Count > 0)
        {
            Row("[fuchsia]unconfirmed[/]", Text(string.Join("\n", d.Unconfirmed)));
        }

        if (d.Warnings.Count > 0)
        {
            // The content's own warnings (a date past its last review): in the warning colour, before the party matches.
            Row($"[{WarningColour}]warning[/]", $"[{WarningColour}]{Text(string.Join("\n", d.Warnings))}[/]");
        }

        foreach (var hit in Hits(r))
        {
            var label = hit.Colour == WarningColour ? $"{hit.Party} warning" : $"{hit.Party} match";
            Row($"[{hit.Colour}]{label}[/]", $"[{hit.Colour}]{Text($"{PartyHits.Describe(hit.Match)}\nmatched name: {hit.Match.MatchedName}\n{hit.Effect}")}[/]");
        }

        var hits = PartyHits.Sentences(r.Shipment.EndUser, r.EndUser, r.Shipment.Consignee, r.Consignee, d.Grounds.Any(g => g.Kind == RequirementKind.EndUser), r.Parties);
        Row("explanation", Text(hits.Length == 0 ? d.Explanation : $"{d.Explanation} {hits}"));
        Row("content", Text(d.ContentVersion));
        if (r.EndUser.ScreenedAgainst.Count > 0)
        {
            Row("screened against", Text(Screen.ScreenCommand.ListsText(r.EndUser.ScreenedAgainst)));
        }

        if (trace)
        {
            Row("trace", Text(string.Join("\n", d.Trace.Select(t => $"{t.Rule}: {t.Effect}"))));
        }

        return grid;
    }

    /// <summary>
    /// Several regimes, not all answered by the held licences: those that cover their own regime, named so that a licence
    /// under one regime is not read as authorising the export; null when none does.
    /// </summary>
    private static string? PartlyCovered(CheckResult r) =>
        r.IsCombined && r.Regimes.Where(regime => regime.CoveredBy is not null).Select(regime => $"{regime.Jurisdiction.Id}:{regime.CoveredBy}").ToList() is { Count: > 0 } partial
            ? $"not every regime: {string.Join(", ", partial)} covers its own regime only"
            : null;

    /// <summary>The rules consulted, one per row.</summary>
    private static Table Trace(Determination d)
    {
        var table = new Table().Border(TableBorder.Simple).Expand().AddColumns("rule", "effect", "citation");
        foreach (var t in d.Trace)
        {
            table.AddRow(Text(t.Rule), Text(t.Effect), Text(t.Citation.Text));
        }

        return table;
    }

    /// <summary>Text from data as markup: each line escaped (control characters made visible), line breaks kept.</summary>
    private static string Text(string text) => string.Join("\n", text.Split('\n').Select(TerminalText.Markup));

    private static string ItemText(RegimeResult regime) => regime.Item is { } item
        ? $"{regime.Jurisdiction.Id}:{item.Code} {item.Title}\n{item.Citation.Text}"
        : regime.Classification is { } given ? $"{given} (recognised by its form; {regime.Jurisdiction.Id}'s control list is not in the content yet)"
        : $"no {regime.Jurisdiction.Id} classification given";
}
