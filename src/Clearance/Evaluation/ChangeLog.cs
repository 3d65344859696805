using Clearance.Model;
using NodaTime;

namespace Clearance.Evaluation;

/// <summary>One dated change of the content: a rule or membership taking or ceasing effect.</summary>
/// <param name="Date">The first day the change is in force.</param>
/// <param name="Kind">"rule-start", "rule-end", "membership-start", "membership-end" or "group-change".</param>
/// <param name="Subject">The rule id, or the country and set, or the country of a group change (the countries, comma-separated, on a day the groups themselves are redefined).</param>
/// <param name="Description">What changed, in one line.</param>
/// <param name="Citation">Legal basis.</param>
public sealed record Change(LocalDate Date, string Kind, string Subject, string Description, Citation Citation)
{
    /// <summary>When the change became known before it took effect, with its source; null when the content does not say.</summary>
    public Announcement? Known { get; init; }
}

/// <summary>What a rule is, for listings.</summary>
/// <param name="Id">Rule id.</param>
/// <param name="Category">"requirement", "license-scope" or "review-period".</param>
/// <param name="Description">What it says.</param>
/// <param name="Periods">When in force.</param>
/// <param name="Citation">Legal basis.</param>
/// <param name="Label">What it says in one short line, without items and destinations (e.g. "[deny general-bulk] Resist to South Korea ..."), for a chart's row.</param>
public sealed record RuleSummary(string Id, string Category, string Description, IReadOnlyList<Period> Periods, Citation Citation, string Label);

/// <summary>A destination's groups over one span of dates.</summary>
/// <param name="Period">The span.</param>
/// <param name="Groups">Group names in that span.</param>
/// <param name="Sets">Every set (table or group) the country belongs to in that span.</param>
public sealed record GroupSpan(Period Period, IReadOnlyList<string> Groups, IReadOnlyList<string> Sets);

/// <summary>Questions about the content over time: what was in force, what changed, a country's history.</summary>
public static class ChangeLog
{
    /// <summary>The rules in force on <paramref name="date"/>; with a country, only those whose destinations cover it.</summary>
    public static IReadOnlyList<RuleSummary> InForce(Jurisdiction j, LocalDate date, CountryCode? country = null) =>
        [.. Summaries(j).Where(r => ReferenceEvaluator.InForce(r.Rule.Periods, date)
            && (country is not { } c || ReferenceEvaluator.Destination(j, r.Destinations, c, date) == Match.Yes)).Select(r => r.Summary)];

    /// <summary>Every change that takes effect after <paramref name="from"/> and on or before <paramref name="to"/>, by date.</summary>
    public static IReadOnlyList<Change> Between(Jurisdiction j, LocalDate from, LocalDate to)
    {
        var changes = new List<Change>();
        foreach (var (rule, summary, _) in Summaries(j))
        {
            foreach (var p in rule.Periods)
            {
                if (!p.IsOpenStart && p.From > from && p.From <= to)
                {
                    changes.Add(new Change(p.From, "rule-start", rule.Id, $"takes effect: {summary.Description}", rule.Citation) { Known = p.StartKnown });
                }

                if (p.To is { } end && end > from && end <= to)
                {
                    changes.Add(new Change(end, "rule-end", rule.Id, $"ceases: {summary.Description}", rule.Citation) { Known = p.EndKnown });
                }
            }
        }

        foreach (var set in j.Sets)
        {
            foreach (var m in set.Members)
            {
                if (!m.Period.IsOpenStart && m.Period.From > from && m.Period.From <= to)
                {
                    changes.Add(new Change(m.Period.From, "membership-start", $"{m.Country} {set.Id}", $"{m.Country} joins {set.Name}", m.Citation) { Known = m.Period.StartKnown });
                }

                if (m.Period.To is { } end && end > from && end <= to)
                {
                    changes.Add(new Change(end, "membership-end", $"{m.Country} {set.Id}", $"{m.Country} leaves {set.Name}", m.Citation) { Known = m.Period.EndKnown });
                }
            }
        }

        foreach (var date in j.ChangeDates().Where(d => d > from && d <= to))
        {
            var before = date.PlusDays(-1);
            // On a day groups come into or go out of existence (Japan's Groups A-D on 2019-08-02) every destination
            // moves: one entry per move, naming its destinations, rather than one per country.
            var regrouped = j.Sets.Where(s => s.IsGroup && (s.Existence.From == date || s.Existence.To == date)).ToList();
            var moves = new List<(CountryCode Country, string Was, string Now, Citation Citation, Announcement? Known)>();
            foreach (var country in CountryCode.All)
            {
                var was = GroupNames(j, country, before);
                var now = GroupNames(j, country, date);
                if (!was.SequenceEqual(now))
                {
                    var membership = j.Sets.SelectMany(s => s.Members)
                        .FirstOrDefault(m => m.Country == country && (m.Period.From == date || m.Period.To == date));
                    var citation = membership?.Citation ?? j.Sets.First(s => s.IsGroup && now.Concat(was).Contains(s.Name)).Citation;
                    var known = membership is null ? null : AnnouncementOf([membership.Period], date);
                    moves.Add((country, Names(was), Names(now), citation, known));
                }
            }

            if (regrouped.Count == 0)
            {
                changes.AddRange(moves.Select(m => new Change(date, "group-change", m.Country.Value, $"{m.Country}: {m.Was} → {m.Now}", m.Citation) { Known = m.Known }));
                continue;
            }

            foreach (var move in moves.GroupBy(m => (m.Was, m.Now)))
            {
                var countries = move.Select(m => m.Country.Value).ToList();
                var citation = regrouped.FirstOrDefault(s => s.Name == move.Key.Now || s.Name == move.Key.Was)?.Citation ?? regrouped[0].Citation;
                changes.Add(new Change(date, "group-change", string.Join(", ", countries),
                    $"{countries.Count} destination{(countries.Count == 1 ? "" : "s")}: {move.Key.Was} → {move.Key.Now} (groups redefined on this day)", citation)
                    {
                        Known = move.Select(m => m.Known).OfType<Announcement>().MinBy(a => a.Date),
                    });
            }
        }

        return [.. changes.OrderBy(c => c.Date).ThenBy(c => KindOrder(c.Kind)).ThenBy(c => c.Subject, StringComparer.Ordinal)];
    }

    /// <summary>A country's groups over time, and every change of the rules that concern it.</summary>
    public static (IReadOnlyList<GroupSpan> Groups, IReadOnlyList<Change> Changes) Timeline(Jurisdiction j, CountryCode country)
    {
        List<LocalDate> starts = [LocalDate.MinIsoValue, .. j.ChangeDates()];
        var spans = new List<GroupSpan>();
        var changes = new List<Change>();
        IReadOnlyList<string>? previousSets = null;
        HashSet<string>? previousRules = null;
        var summaries = Summaries(j);
        for (var i = 0; i < starts.Count; i++)
        {
            var date = starts[i];
            var sets = j.Sets.Where(s => ReferenceEvaluator.IsMember(j, s.Id, country, date)).Select(s => s.Name).ToList();
            var groups = j.Sets.Where(s => s.IsGroup && sets.Contains(s.Name)).Select(s => s.Name).ToList();
            if (previousSets is null || !previousSets.SequenceEqual(sets))
            {
                if (spans.Count > 0)
                {
                    spans[^1] = spans[^1] with { Period = new Period(spans[^1].Period.From, date) };
                }

                spans.Add(new GroupSpan(new Period(date, null), groups, sets));
            }

            previousSets = sets;
            var applicable = summaries.Where(r => ReferenceEvaluator.InForce(r.Rule.Periods, date)
                && ReferenceEvaluator.Destination(j, r.Destinations, country, date) == Match.Yes).ToList();
            var ids = applicable.Select(r => r.Rule.Id).ToHashSet();
            if (previousRules is not null)
            {
                foreach (var r in applicable.Where(r => !previousRules.Contains(r.Rule.Id)))
                {
                    changes.Add(new Change(date, "rule-start", r.Rule.Id, $"starts to apply to {country}: {r.Summary.Description}", r.Rule.Citation)
                    {
                        Known = AnnouncementOf(r.Rule.Periods, date),
                    });
                }

                foreach (var r in summaries.Where(r => previousRules.Contains(r.Rule.Id) && !ids.Contains(r.Rule.Id)))
                {
                    changes.Add(new Change(date, "rule-end", r.Rule.Id, $"stops applying to {country}: {r.Summary.Description}", r.Rule.Citation)
                    {
                        Known = AnnouncementOf(r.Rule.Periods, date),
                    });
                }
            }

            previousRules = ids;
        }

        return (spans, changes);
    }

    /// <summary>Every rule of <paramref name="j"/> (requirements, licence scope, review periods), summarised.</summary>
    public static IReadOnlyList<RuleSummary> Rules(Jurisdiction j) => [.. Summaries(j).Select(r => r.Summary)];

    /// <summary>The announcement of the period start or end that falls on <paramref name="date"/>, if the content gives one.</summary>
    private static Announcement? AnnouncementOf(IReadOnlyList<Period> periods, LocalDate date) =>
        periods.Select(p => p.From == date ? p.StartKnown : p.To == date ? p.EndKnown : null).OfType<Announcement>().FirstOrDefault();

    private static List<string> GroupNames(Jurisdiction j, CountryCode country, LocalDate date) =>
        [.. j.Sets.Where(s => s.IsGroup && ReferenceEvaluator.IsMember(j, s.Id, country, date)).Select(s => s.Name)];

    private static string Names(List<string> groups) => groups.Count == 0 ? "no group" : string.Join(" + ", groups);

    private static int KindOrder(string kind) => kind switch
    {
        "group-change" => 0,
        "membership-end" => 1,
        "membership-start" => 2,
        "rule-end" => 3,
        _ => 4,
    };

    private static List<(IDatedRule Rule, RuleSummary Summary, DestinationSelector Destinations)> Summaries(Jurisdiction j)
    {
        var list = new List<(IDatedRule, RuleSummary, DestinationSelector)>();
        foreach (var r in j.Requirements)
        {
            var when = (r.When.IsNone ? "" : $" when {r.When}") + (r.ExportedFrom is { } exportedFrom ? $"; exported from {exportedFrom}" : "");
            var label = $"[{Model.Names.Of(r.Kind)}] {r.Title}";
            list.Add((r, new RuleSummary(r.Id, "requirement", $"{label} (items: {r.Items}; destinations: {r.Destinations}{when})", r.Periods, r.Citation, label), r.Destinations));
        }

        foreach (var s in j.Scope)
        {
            var condition = (s.ExportedFrom is { } exportedFrom ? $"; exported from {exportedFrom}" : "") + (s.Condition is null ? "" : $"; only {s.Condition}");
            var label = $"[{s.Effect.ToString().ToLowerInvariant()} {s.License}] {s.Title}";
            list.Add((s, new RuleSummary(s.Id, "license-scope", $"{label} (items: {s.Items}; destinations: {s.Destinations}{condition})", s.Periods, s.Citation, label), s.Destinations));
        }

        foreach (var v in j.Reviews)
        {
            var label = $"[review {v.License}] {v.Days} days";
            list.Add((v, new RuleSummary(v.Id, "review-period", $"{label} (destinations: {v.Destinations})", v.Periods, v.Citation, label), v.Destinations));
        }

        return list;
    }
}
