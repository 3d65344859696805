using Clearance.Evaluation;
using Clearance.Model;
using NodaTime;

namespace Clearance.Application;

/// <summary>One bar of a regulatory timeline: a stretch of days over which a group membership or a rule applied to the destination.</summary>
/// <param name="From">The first day; null when it applied since before the content's first change.</param>
/// <param name="To">The first day it no longer applied; null when it still applies.</param>
/// <param name="Label">What applied (the groups, or the rule's short line).</param>
/// <param name="Citation">The legal basis of its start (a membership change), or of the rule.</param>
public sealed record TimelineBar(LocalDate? From, LocalDate? To, string Label, Citation? Citation)
{
    /// <summary>The stretch as a period (open start when <see cref="From"/> is null).</summary>
    public Period Period => new(From ?? LocalDate.MinIsoValue, To);

    /// <summary>Whether any of its days falls in [<paramref name="first"/>, <paramref name="last"/>].</summary>
    public bool Overlaps(LocalDate first, LocalDate last) => (From is not { } from || from <= last) && (To is not { } to || to > first);
}

/// <summary>A row of a regulatory timeline: the destination's groups, or one rule whose application to it changes.</summary>
/// <param name="Id">"groups", or the rule's id.</param>
/// <param name="Kind">How it is drawn: "group", "requirement", "license-allow", "license-deny" or "review-period".</param>
/// <param name="Label">The row's name for people.</param>
/// <param name="Description">The whole description (items, destinations), for a tooltip.</param>
/// <param name="Bars">When it applied, in date order.</param>
public sealed record TimelineRow(string Id, string Kind, string Label, string Description, IReadOnlyList<TimelineBar> Bars);

/// <summary>
/// A destination's regulatory history in a window of dates, for a chart: its groups and every rule whose application
/// to it changes, as bars, and the dated changes (rules starting or stopping to apply, memberships, groups redefined)
/// with their citations. Drawn from the same timeline as <c>rules timeline</c>, with the membership changes of
/// <c>rules diff</c> that concern the destination.
/// </summary>
/// <param name="Timeline">The destination's whole timeline, as <c>rules timeline</c> gives it.</param>
/// <param name="From">The window's first day.</param>
/// <param name="To">The window's last day.</param>
/// <param name="Rows">The groups' row first, then one row per rule, each with at least one bar in the window.</param>
/// <param name="Changes">The changes dated in the window, by date.</param>
public sealed record RegulatoryTimeline(CountryTimeline Timeline, LocalDate From, LocalDate To, IReadOnlyList<TimelineRow> Rows, IReadOnlyList<Change> Changes)
{
    /// <summary>The window's start when none is given: the content's changes of interest begin after it.</summary>
    public static readonly LocalDate DefaultFrom = new(2015, 1, 1);

    /// <summary>
    /// The timeline of <paramref name="country"/> under <paramref name="jurisdiction"/> in <paramref name="window"/>
    /// (half-open, as <c>rules timeline --since/--until</c> reads it): from its start (default <see cref="DefaultFrom"/>)
    /// to the day before its end (default <paramref name="today"/>, or the last change when later); errors name the input.
    /// </summary>
    public static RegulatoryTimeline Of(RulesQueries rules, Input jurisdiction, Input country, DateWindow window, LocalDate today)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(window);

        // The whole timeline, not the window's: a bar that starts before the window needs the change that starts it.
        var timeline = rules.Timeline(jurisdiction, country);
        var j = timeline.Jurisdiction;
        var memberships = MembershipChanges(j, timeline.Country);
        var all = timeline.Changes.Concat(memberships).ToList();
        var latest = LocalDate.Max(today, all.Count == 0 ? today : all.Max(c => c.Date));
        var last = window.Until is { } until ? until.PlusDays(-1) : LocalDate.Max(latest, window.Since ?? latest);
        var first = window.Since ?? LocalDate.Min(DefaultFrom, last);

        var rows = new List<TimelineRow> { GroupRow(timeline, memberships) };
        var summaries = ChangeLog.Rules(j).ToDictionary(r => r.Id);
        foreach (var rule in timeline.Changes.GroupBy(c => c.Subject))
        {
            var summary = summaries[rule.Key];
            rows.Add(new TimelineRow(rule.Key, Kind(j, summary), summary.Label, summary.Description, Stretches(rule, summary)));
        }

        return new RegulatoryTimeline(
            timeline, first, last,
            [.. rows.Where(r => r.Bars.Any(b => b.Overlaps(first, last))).Select(r => r with { Bars = [.. r.Bars.Where(b => b.Overlaps(first, last))] })],
            [.. all.Where(c => c.Date >= first && c.Date <= last).OrderBy(c => c.Date).ThenBy(c => c.Kind.StartsWith("rule", StringComparison.Ordinal))]);
    }

    /// <summary>The days in the window on which something changes, each with its changes.</summary>
    public IReadOnlyList<IGrouping<LocalDate, Change>> ChangeDays() => [.. Changes.GroupBy(c => c.Date)];

    /// <summary>
    /// The membership changes of <paramref name="country"/> (joining or leaving a table or group, or the groups
    /// themselves redefined) with their citations, from the content's whole change log.
    /// </summary>
    private static List<Change> MembershipChanges(Jurisdiction j, CountryCode country) =>
        [.. ChangeLog.Between(j, LocalDate.MinIsoValue, LocalDate.MaxIsoValue).Where(c => c.Kind switch
        {
            "membership-start" or "membership-end" => c.Subject.StartsWith(country.Value + " ", StringComparison.Ordinal),
            "group-change" => c.Subject.Split(", ").Contains(country.Value),
            _ => false,
        })];

    private static TimelineRow GroupRow(CountryTimeline timeline, List<Change> memberships)
    {
        var bars = timeline.Groups.Select(g => new TimelineBar(
            g.Period.IsOpenStart ? null : g.Period.From, g.Period.To,
            g.Groups.Count == 0 ? "no group" : string.Join(" + ", g.Groups),
            memberships.FirstOrDefault(c => !g.Period.IsOpenStart && c.Date == g.Period.From && c.Kind == "group-change")?.Citation
                ?? memberships.FirstOrDefault(c => !g.Period.IsOpenStart && c.Date == g.Period.From)?.Citation));
        return new TimelineRow("groups", "group", $"{timeline.Country} in {timeline.Jurisdiction.Id}'s groups",
            "The destination's country groups, period by period", [.. bars]);
    }

    /// <summary>The stretches over which a rule applied to the destination, from its starts and ends in the timeline.</summary>
    private static List<TimelineBar> Stretches(IEnumerable<Change> changes, RuleSummary rule)
    {
        var bars = new List<TimelineBar>();
        LocalDate? start = null;
        var applying = false;
        foreach (var change in changes.OrderBy(c => c.Date))
        {
            if (change.Kind == "rule-start")
            {
                (start, applying) = (change.Date, true);
            }
            else
            {
                // An end without a start before it: the rule applied from the beginning of the content's time.
                bars.Add(new TimelineBar(applying ? start : null, change.Date, rule.Label, rule.Citation));
                applying = false;
            }
        }

        if (applying)
            bars.Add(new TimelineBar(start, null, rule.Label, rule.Citation));
        return bars;
    }

    private static string Kind(Jurisdiction j, RuleSummary rule) => rule.Category switch
    {
        "license-scope" => j.Scope.First(s => s.Id == rule.Id).Effect == ScopeEffect.Deny ? "license-deny" : "license-allow",
        var category => category,
    };
}
