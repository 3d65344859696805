using Clearance.Evaluation;
using Clearance.Model;
using NodaTime;

namespace Clearance.Application;

/// <summary>An entry of a jurisdiction's control list as the rules read it: its place in the list and its attributes.</summary>
/// <param name="Jurisdiction">The jurisdiction whose list holds it.</param>
/// <param name="Entry">The entry (an ECCN, one of its paragraphs, a JP row or item, a KR code).</param>
public sealed record ItemEntry(Jurisdiction Jurisdiction, ControlEntry Entry)
{
    /// <summary>The classification as <c>check</c> takes it, e.g. <c>US:3A090</c>.</summary>
    public string Classification => $"{Jurisdiction.Id}:{Entry.Code}";

    /// <summary>
    /// Its attributes with those of every entry above it, as the evaluator reads them (the EAR's <c>columns</c>: the
    /// reasons for control, a dated one written <c>RS-WW.since-2025-05-15</c>).
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Attributes => Jurisdiction.AttributesOf(Entry);

    /// <summary>The entries above it, the top one first (3A090 for 3A090.a.1, then 3A090.a).</summary>
    public IReadOnlyList<ControlEntry> Above
    {
        get
        {
            var above = new List<ControlEntry>();
            for (var code = Entry.Parent; code is not null && Jurisdiction.FindItem(code) is { } parent; code = parent.Parent)
            {
                above.Insert(0, parent);
            }

            return above;
        }
    }

    /// <summary>Every entry below it (its paragraphs, theirs, ...), each followed by those below it, in list order.</summary>
    public IReadOnlyList<ControlEntry> Below
    {
        get
        {
            var below = new List<ControlEntry>();
            void Add(string code)
            {
                foreach (var child in Jurisdiction.ChildrenOf(code))
                {
                    below.Add(child);
                    Add(child.Code);
                }
            }

            Add(Entry.Code);
            return below;
        }
    }

    /// <summary>
    /// Attributes for people: <c>columns: AT1 from 7 Oct 2022, NS1; product_group: A</c> (a dated reason for control
    /// with its first day), without the attributes' names when <paramref name="names"/> is false.
    /// </summary>
    public static string Describe(IReadOnlyDictionary<string, IReadOnlyList<string>> attributes, bool names = true)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        return string.Join("; ", attributes.OrderBy(a => a.Key, StringComparer.Ordinal)
            .Select(a => (names ? a.Key + ": " : "") + string.Join(", ", a.Value.Select(Dated))));
    }

    private static string Dated(string value)
    {
        var column = Clearance.Content.Ear.CclTextDates.BaseColumn(value);
        return column.Length < value.Length && NodaTime.Text.LocalDatePattern.Iso.Parse(value[(column.Length + ".since-".Length)..]) is { Success: true } since
            ? $"{column} from {DateText.Date(since.Value)}"
            : value;
    }

    /// <summary>
    /// What the list's date means, when the list is the text of one day (the EAR's Commerce Control List, generated
    /// from the eCFR): the entry and its reasons for control are that day's text, not dated back; null for a dated list.
    /// </summary>
    public string? ListNote => Jurisdiction.ListAsOf is { } asOf
        ? $"the {Jurisdiction.Id} control list (entries, reasons for control, licence-exception values) is the text of {RulesQueries.Iso(asOf)}, "
            + "not dated back: an earlier date may have read otherwise; what the content dates is in the rules below, and a reason for control "
            + "written 'CODE.since-DATE' applies from that date"
        : null;
}

/// <summary>A rule whose items take an entry, or a paragraph above or below it, with what it requires.</summary>
/// <param name="Id">Rule id.</param>
/// <param name="Category">"requirement" or "license-scope".</param>
/// <param name="Kind">A requirement's kind ("list", "catch-all", "end-user", "embargo", "gap"); "allow" or "deny" for licence scope.</param>
/// <param name="Selects">
/// How its items are given: "code" (it names the entry, one above or one below it), "attributes" (every entry with a
/// reason for control or another attribute), "listed" (every entry on the control list, e.g. every ECCN but not EAR99),
/// "any" (every item).
/// </param>
/// <param name="Coverage">"whole": it takes the entry and all below it; "part": only some paragraphs below it (or the entry only as a whole whose paragraphs differ).</param>
/// <param name="Summary">Its description and periods, as <c>rules show</c> gives them.</param>
/// <param name="Effect">
/// What it does while in force: a requirement's verdict ("license-required", "prohibited"; "indeterminate" for a gap
/// the content does not cover), a scope rule's "allow" or "deny" of <paramref name="License"/>.
/// </param>
/// <param name="License">The licence type a scope rule allows or denies, or under which an embargo's exception is granted.</param>
/// <param name="Condition">A condition the engine cannot check (a scope rule's, an embargo's exception), or null.</param>
/// <param name="When">The facts it tests (end use, value, ...) and the exporting countries it needs, or null.</param>
/// <param name="ReviewPolicy">How an application for the licence it requires is reviewed, when the content says.</param>
/// <param name="Destinations">The destinations it concerns.</param>
public sealed record ItemRule(
    string Id,
    string Category,
    string Kind,
    string Selects,
    string Coverage,
    RuleSummary Summary,
    string Effect,
    string? License,
    string? Condition,
    string? When,
    string? ReviewPolicy,
    DestinationSelector Destinations)
{
    /// <summary>When in force.</summary>
    public IReadOnlyList<Period> Periods => Summary.Periods;

    /// <summary>Legal basis.</summary>
    public Citation Citation => Summary.Citation;

    /// <summary>What it requires or allows, in words for people (the terminal's table and the web page say the same).</summary>
    public string EffectText => Effect switch
    {
        "license-required" => "licence required" + (ReviewPolicy is { } policy ? $"; review: {policy}" : ""),
        "prohibited" => "prohibited" + (License is { } l ? $"; exception under {l}: {Condition}" : ""),
        "indeterminate" => "indeterminate: not in the content",
        "allow" => $"allows {License}" + (Condition is { } c ? $" only if: {c}" : ""),
        _ => $"withdraws {License}" + (Condition is { } c ? $" ({c})" : ""),
    };

    /// <summary>How it takes the item, in words: <c>list, the whole item</c>.</summary>
    public string CoverageText => $"{Kind}, {(Coverage == "whole" ? "the whole item" : "part of it")}";
}

/// <summary>An item's history (<c>rules timeline --item</c>): its entry, the rules that concern it and their changes.</summary>
/// <param name="Jurisdiction">The jurisdiction.</param>
/// <param name="Item">The entry.</param>
/// <param name="Country">When given, only the rules that apply to this destination at some time, and its groups.</param>
/// <param name="Groups">The destination's groups and sets, period by period (empty without a destination).</param>
/// <param name="Rules">The rules whose items take the entry or a paragraph above or below it, by their first day.</param>
/// <param name="Changes">Their dated changes, by date (to the destination, when given).</param>
public sealed record ItemTimeline(Jurisdiction Jurisdiction, ItemEntry Item, CountryCode? Country, IReadOnlyList<GroupSpan> Groups, IReadOnlyList<ItemRule> Rules, IReadOnlyList<Change> Changes)
{
    /// <summary>The days it is cut to (<c>--since</c>/<c>--until</c>): rules in force on one of them, changes dated in them.</summary>
    public DateWindow Window { get; init; } = DateWindow.All;
}

/// <summary>
/// Which rules concern an item: those whose item selector takes it or a paragraph below it, answered by the
/// evaluator's own reading of the list's hierarchy and attributes (<see cref="ReferenceEvaluator.ItemMatch"/>), so that
/// a timeline and a determination never disagree about what a rule covers.
/// </summary>
public static class ItemRules
{
    /// <summary>Every requirement and licence-scope rule of <paramref name="item"/>'s jurisdiction that takes it, whole or in part.</summary>
    public static IReadOnlyList<ItemRule> Of(ItemEntry item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var j = item.Jurisdiction;
        var summaries = ChangeLog.Rules(j).ToDictionary(r => r.Id);
        var rules = new List<ItemRule>();
        foreach (var r in j.Requirements)
        {
            if (Coverage(j, r.Items, item.Entry) is { } coverage)
            {
                var effect = r.Kind switch
                {
                    RequirementKind.Embargo => "prohibited",
                    RequirementKind.Gap => "indeterminate",
                    _ => "license-required",
                };
                rules.Add(new ItemRule(r.Id, "requirement", Names.Of(r.Kind), Selects(r.Items), coverage, summaries[r.Id], effect,
                    r.Exception?.License, r.Exception?.Condition, When(r.When, r.ExportedFrom), r.ReviewPolicy, r.Destinations));
            }
        }

        foreach (var s in j.Scope)
        {
            if (Coverage(j, s.Items, item.Entry) is { } coverage)
            {
                var effect = s.Effect == ScopeEffect.Deny ? "deny" : "allow";
                rules.Add(new ItemRule(s.Id, "license-scope", effect, Selects(s.Items), coverage, summaries[s.Id], effect,
                    s.License, s.Condition, When(s.When, s.ExportedFrom), null, s.Destinations));
            }
        }

        // In the order of their first day (those in force from the content's start first), requirements before licence
        // scope on one day: a timeline reads in date order. OrderBy is stable, so the content's order breaks ties.
        return [.. rules.OrderBy(r => r.Periods.Count == 0 ? LocalDate.MaxIsoValue : r.Periods.Min(p => p.From)).ThenBy(r => r.Category != "requirement")];
    }

    /// <summary>Whether the rule applies to <paramref name="country"/> on some day: the first day of the content or a day anything changes.</summary>
    public static bool AppliesTo(Jurisdiction j, ItemRule rule, CountryCode country)
    {
        ArgumentNullException.ThrowIfNull(j);
        ArgumentNullException.ThrowIfNull(rule);
        return j.ChangeDates().Prepend(LocalDate.MinIsoValue).Any(date =>
            ReferenceEvaluator.InForce(rule.Periods, date) && ReferenceEvaluator.Destination(j, rule.Destinations, country, date) == Match.Yes);
    }

    /// <summary>"whole", "part", or null when the selector does not take the entry nor anything below it.</summary>
    private static string? Coverage(Jurisdiction j, ItemSelector selector, ControlEntry entry) => ReferenceEvaluator.ItemMatch(j, selector, entry) switch
    {
        Match.Yes => "whole",
        Match.Maybe => "part",
        _ => null,
    };

    private static string Selects(ItemSelector selector) =>
        selector.Codes.Count > 0 ? "code" : selector.Listed ? "listed" : selector.Where.Count > 0 ? "attributes" : "any";

    private static string? When(FactCondition when, DestinationSelector? exportedFrom)
    {
        var parts = new List<string>();
        if (!when.IsNone)
        {
            parts.Add(when.ToString());
        }

        if (exportedFrom is not null)
        {
            parts.Add($"exported from {exportedFrom}");
        }

        return parts.Count == 0 ? null : string.Join("; ", parts);
    }
}
