using System.Text.Json;
using Clearance.Evaluation;
using Clearance.Model;
using NodaTime;
using NodaTime.Text;

namespace Clearance.Application;

/// <summary>A request for the rules that names something the content does not have, or a malformed value; the message names the input.</summary>
public sealed class RulesQueryException(string message) : Exception(message);

/// <summary>A country group and its members on a date.</summary>
/// <param name="Name">The group's name, e.g. "Group B".</param>
/// <param name="Members">ISO 3166-1 alpha-2 codes.</param>
public sealed record GroupMembers(string Name, IReadOnlyList<string> Members);

/// <summary>The rules in force on a date (<c>rules show</c>).</summary>
/// <param name="Jurisdiction">The jurisdiction.</param>
/// <param name="AsOf">The date.</param>
/// <param name="Country">When given, only rules and groups that concern this destination.</param>
/// <param name="Groups">Country groups with their members on the date (only those the country is in, when given).</param>
/// <param name="Rules">The rules in force.</param>
public sealed record RulesInForce(Jurisdiction Jurisdiction, LocalDate AsOf, CountryCode? Country, IReadOnlyList<GroupMembers> Groups, IReadOnlyList<RuleSummary> Rules)
{
    /// <summary>When given, only the rules whose items take this entry or a paragraph above or below it.</summary>
    public ItemEntry? Item { get; init; }
}

/// <summary>A country's group memberships and the rule changes that concern it (<c>rules timeline</c>).</summary>
/// <param name="Jurisdiction">The jurisdiction.</param>
/// <param name="Country">The destination.</param>
/// <param name="Groups">Its groups and sets, period by period.</param>
/// <param name="Changes">Changes that concern it, by date.</param>
public sealed record CountryTimeline(Jurisdiction Jurisdiction, CountryCode Country, IReadOnlyList<GroupSpan> Groups, IReadOnlyList<Change> Changes)
{
    /// <summary>The days it is cut to (<c>--since</c>/<c>--until</c>): its changes dated in them, its group spans with a day in them.</summary>
    public DateWindow Window { get; init; } = DateWindow.All;
}

/// <summary>The changes taking effect in a date range (<c>rules diff</c>).</summary>
/// <param name="Jurisdiction">The jurisdiction.</param>
/// <param name="Since">Changes after this date.</param>
/// <param name="Until">Up to and including this date.</param>
/// <param name="Changes">By date.</param>
public sealed record RuleChanges(Jurisdiction Jurisdiction, LocalDate Since, LocalDate Until, IReadOnlyList<Change> Changes)
{
    /// <summary>When given, only the changes of the rules whose items take this entry or a paragraph above or below it.</summary>
    public ItemEntry? Item { get; init; }
}

/// <summary>Questions about the content over time, from text input as a front end receives it; errors name the input.</summary>
public sealed class RulesQueries(ContentSet content)
{
    /// <summary>The rules in force on <paramref name="date"/>, for one destination when <paramref name="country"/> is given.</summary>
    public RulesInForce Show(Input jurisdiction, Input date, Input? country, Input? item = null)
    {
        var j = Find(jurisdiction);
        var asOf = ParseDate(date);
        CountryCode? destination = country is { } c ? ParseCountry(c) : null;
        var entry = item is { } i ? ParseItem(j, i) : null;
        var groups = j.Sets.Where(s => s.IsGroup)
            .Select(s => new GroupMembers(s.Name, [.. CountryCode.All.Where(m => ReferenceEvaluator.IsMember(j, s.Id, m, asOf)).Select(m => m.Value)]))
            .Where(g => destination is not { } d || g.Members.Contains(d.Value))
            .ToList();
        return new RulesInForce(j, asOf, destination, groups, OfItem(ChangeLog.InForce(j, asOf, destination), entry, r => r.Id)) { Item = entry };
    }

    /// <summary>
    /// A country's groups and the changes that concern it, over the content's whole time or in <paramref name="window"/>
    /// (the changes dated in it, the group spans with a day in it).
    /// </summary>
    public CountryTimeline Timeline(Input jurisdiction, Input country, DateWindow? window = null)
    {
        var j = Find(jurisdiction);
        var c = ParseCountry(country);
        var (groups, changes) = ChangeLog.Timeline(j, c);
        var days = window ?? DateWindow.All;
        return new CountryTimeline(j, c, [.. groups.Where(g => days.Overlaps(g.Period))], [.. changes.Where(x => days.Contains(x.Date))]) { Window = days };
    }

    /// <summary>
    /// An item's entry, every rule whose items take it or a paragraph above or below it, and their changes over the
    /// content's whole time; with <paramref name="country"/>, only the rules that apply to that destination at some
    /// time, their changes as they start and stop applying to it, and its groups. With <paramref name="window"/>, only
    /// the changes dated in it, the rules in force on a day of it or changed in it, and the group spans with a day in
    /// it: the entry is the same (the list is not dated back).
    /// </summary>
    public ItemTimeline ItemTimeline(Input jurisdiction, Input item, Input? country, DateWindow? window = null)
    {
        var j = Find(jurisdiction);
        var entry = ParseItem(j, item);
        CountryCode? destination = country is { } c ? ParseCountry(c) : null;
        var days = window ?? DateWindow.All;
        var rules = ItemRules.Of(entry);
        List<GroupSpan> groups = [];
        List<Change> changes;
        if (destination is not { } d)
        {
            var ids = rules.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
            changes = [.. ChangeLog.Between(j, LocalDate.MinIsoValue, LocalDate.MaxIsoValue).Where(x => x.Kind is "rule-start" or "rule-end" && ids.Contains(x.Subject))];
        }
        else
        {
            rules = [.. rules.Where(r => ItemRules.AppliesTo(j, r, d))];
            var applying = rules.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
            var (spans, all) = ChangeLog.Timeline(j, d);
            groups = [.. spans.Where(g => days.Overlaps(g.Period))];
            changes = [.. all.Where(x => applying.Contains(x.Subject))];
        }

        // The window keeps the changes dated in it, and the rules in force on a day of it or changed in it: a rule that
        // ends on --since is no longer in force then, but its end is a change of the window and names it.
        changes = [.. changes.Where(x => days.Contains(x.Date))];
        var changed = changes.Select(x => x.Subject).ToHashSet(StringComparer.Ordinal);
        rules = [.. rules.Where(r => days.IsAll || changed.Contains(r.Id) || r.Periods.Any(days.Overlaps))];
        return new ItemTimeline(j, entry, destination, groups, rules, changes) { Window = days };
    }

    /// <summary>
    /// The error when a timeline is asked for without its subject, naming the two inputs (<c>--item</c> and
    /// <c>--country</c>, or the query parameters) that give it.
    /// </summary>
    public static RulesQueryException NoSubject(string item, string country) =>
        new($"give {item} (an item of the control list, e.g. 3A090 or \"JP:3(1)\"), {country} (a destination, e.g. KR) or both");

    /// <summary>Every change taking effect after <paramref name="since"/> and on or before <paramref name="until"/>.</summary>
    public RuleChanges Diff(Input jurisdiction, Input since, Input until, Input? item = null)
    {
        var j = Find(jurisdiction);
        var start = ParseDate(since);
        var end = ParseDate(until);
        var entry = item is { } i ? ParseItem(j, i) : null;
        if (end < start)
        {
            throw new RulesQueryException($"{until.Name} {Iso(end)} is before {since.Name} {Iso(start)}: the range is every change after {since.Name}, up to and including {until.Name}");
        }

        // With an item, the changes of its rules only: a membership or group change concerns destinations, and shows in
        // a rule's change only where it makes the rule start or stop applying (rules timeline --item --country).
        var changes = ChangeLog.Between(j, start, end);
        return new RuleChanges(j, start, end, entry is null ? changes : OfItem(changes.Where(c => c.Kind is "rule-start" or "rule-end").ToList(), entry, c => c.Subject)) { Item = entry };
    }

    /// <summary>
    /// The entry of the control list <paramref name="input"/> names: its code, or the classification as <c>check</c>
    /// takes it (<c>US:3A090</c>, <c>JP:3(1)</c>, the prefix in any case); throws naming the input otherwise.
    /// </summary>
    public static ItemEntry ParseItem(Jurisdiction jurisdiction, Input input)
    {
        ArgumentNullException.ThrowIfNull(jurisdiction);
        var text = input.Text.Trim();
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && !text.AsSpan(0, colon).Equals(jurisdiction.Id, StringComparison.OrdinalIgnoreCase))
        {
            throw new RulesQueryException($"{input.Name}: '{input.Text}' is not an item of {jurisdiction.Id}: its prefix names another regime (give {jurisdiction.Id}:<code>, or the regime with --jurisdiction)");
        }

        var code = colon > 0 ? text[(colon + 1)..] : text;
        if (jurisdiction.FindItem(code) is { } entry)
        {
            return new ItemEntry(jurisdiction, entry);
        }

        // As check says it, with the nearest code when one is near (3A09 → 3A090).
        var nearest = NearestName.Find(code, jurisdiction.Items.Select(i => i.Code));
        throw new RulesQueryException($"{input.Name}: '{input.Text}' is not an item of {jurisdiction.Id}'s control list "
            + (nearest is null ? $"(expected {jurisdiction.Id}:<code>, e.g. {CheckService.Example(jurisdiction)})" : $"(did you mean '{jurisdiction.Id}:{nearest}'?)"));
    }

    /// <summary>The elements that concern <paramref name="entry"/>'s rules (by rule id), or all of them without an entry.</summary>
    private static IReadOnlyList<T> OfItem<T>(IReadOnlyList<T> elements, ItemEntry? entry, Func<T, string> rule)
    {
        if (entry is null)
        {
            return elements;
        }

        var ids = ItemRules.Of(entry).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        return [.. elements.Where(e => ids.Contains(rule(e)))];
    }

    private Jurisdiction Find(Input id) =>
        content.Find(id.Text.Trim()) ?? throw new RulesQueryException(
            $"{id.Name}: no content for '{id.Text}'; available: {string.Join(", ", content.Jurisdictions.Select(x => x.Id))}");

    /// <summary>Parses a YYYY-MM-DD date, or throws naming the input and the accepted form.</summary>
    public static LocalDate ParseDate(Input input) =>
        LocalDatePattern.Iso.Parse(input.Text.Trim()) is { Success: true } r
            ? r.Value
            : throw new RulesQueryException($"{input.Name}: '{input.Text}' is not a date; give YYYY-MM-DD, e.g. 2019-09-01");

    /// <summary>
    /// Parses a destination given as an ISO 3166-1 alpha-2 or alpha-3 code or an English name as lists spell it
    /// ("South Korea", "Korea, Republic of"), case-insensitively; throws naming the input when it names no destination.
    /// </summary>
    public static CountryCode ParseCountry(Input input) =>
        Clearance.Screening.Lists.Countries.ToIso2(input.Text) is { } alpha2 && CountryCode.TryParse(alpha2, out var code)
            ? code
            : throw new RulesQueryException($"{input.Name}: '{input.Text}' is not a country; give an ISO 3166-1 alpha-2 code (KR) or an English name (South Korea)");

    internal static string Iso(LocalDate d) => LocalDatePattern.Iso.Format(d);
}

/// <summary>Dates and periods as text for people: a period says how it ends.</summary>
public static class DateText
{
    private static readonly LocalDatePattern Day = LocalDatePattern.Create("d MMM uuuu", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary><c>4 Jul 2019</c>.</summary>
    public static string Date(LocalDate date) => Day.Format(date);

    /// <summary>
    /// The half-open period <c>[from, to)</c> with its last day: <c>4 Jul 2019 – 22 Mar 2023 (last day)</c>,
    /// <c>from 4 Jul 2019</c> when open-ended, <c>until 27 Aug 2019 (last day)</c> when it began before the content's
    /// coverage, <c>throughout</c> when both, and <c>20 Dec 2019 only</c> for one day.
    /// </summary>
    public static string Period(Period period) => (period.IsOpenStart, period.To) switch
    {
        (true, null) => "throughout",
        (true, { } to) => $"until {Date(to.PlusDays(-1))} (last day)",
        (false, null) => $"from {Date(period.From)}",
        (false, { } to) when to == period.From.PlusDays(1) => $"{Date(period.From)} only",
        (false, { } to) => $"{Date(period.From)} – {Date(to.PlusDays(-1))} (last day)",
    };
}

/// <summary>A value as given, with the name of the input it came from (a flag, a query parameter) for error messages.</summary>
/// <param name="Name">e.g. "--date".</param>
/// <param name="Text">The value.</param>
public readonly record struct Input(string Name, string Text);

/// <summary>The JSON forms of the rules queries.</summary>
public static partial class RulesJson
{
    /// <summary>Writes <c>rules show</c>'s object.</summary>
    public static void Write(Utf8JsonWriter w, RulesInForce r)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(r);
        w.WriteStartObject();
        w.WriteString("jurisdiction", r.Jurisdiction.Id);
        w.WriteString("as_of", RulesQueries.Iso(r.AsOf));
        if (r.Item is { } item)
        {
            w.WriteString("item", item.Classification);
        }

        if (r.Country is { } d)
        {
            w.WriteString("country", d.Value);
            ResultJson.WriteStrings(w, "country_groups", [.. r.Groups.Select(g => g.Name)]);
        }
        else
        {
            w.WriteStartObject("groups");
            foreach (var g in r.Groups)
            {
                ResultJson.WriteStrings(w, g.Name, g.Members);
            }

            w.WriteEndObject();
        }

        w.WriteStartArray("rules");
        foreach (var rule in r.Rules)
        {
            w.WriteStartObject();
            w.WriteString("id", rule.Id);
            w.WriteString("category", rule.Category);
            w.WriteString("description", rule.Description);
            w.WriteStartArray("periods");
            foreach (var p in rule.Periods)
            {
                w.WriteStartObject();
                WritePeriod(w, p);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            ResultJson.WriteCitation(w, rule.Citation);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Writes <c>rules timeline</c>'s object.</summary>
    public static void Write(Utf8JsonWriter w, CountryTimeline t)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(t);
        w.WriteStartObject();
        w.WriteString("jurisdiction", t.Jurisdiction.Id);
        w.WriteString("country", t.Country.Value);
        WriteWindow(w, t.Window);
        WriteGroups(w, t.Groups);
        WriteChanges(w, t.Changes);
        w.WriteEndObject();
    }

    /// <summary>
    /// <c>"since"</c> and <c>"until"</c> (null for an open end) when a timeline is cut to a window; nothing without one,
    /// so that a whole timeline reads as it always has.
    /// </summary>
    internal static void WriteWindow(Utf8JsonWriter w, DateWindow window)
    {
        if (window.IsAll)
        {
            return;
        }

        foreach (var (name, day) in new[] { ("since", window.Since), ("until", window.Until) })
        {
            if (day is { } d)
            {
                w.WriteString(name, RulesQueries.Iso(d));
            }
            else
            {
                w.WriteNull(name);
            }
        }
    }

    /// <summary><c>"groups"</c>: a destination's groups and sets, period by period.</summary>
    private static void WriteGroups(Utf8JsonWriter w, IReadOnlyList<GroupSpan> groups)
    {
        w.WriteStartArray("groups");
        foreach (var g in groups)
        {
            w.WriteStartObject();
            WritePeriod(w, g.Period);
            ResultJson.WriteStrings(w, "groups", g.Groups);
            ResultJson.WriteStrings(w, "sets", g.Sets);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>Writes <c>rules diff</c>'s object.</summary>
    public static void Write(Utf8JsonWriter w, RuleChanges c)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(c);
        w.WriteStartObject();
        w.WriteString("jurisdiction", c.Jurisdiction.Id);
        w.WriteString("since", RulesQueries.Iso(c.Since));
        w.WriteString("until", RulesQueries.Iso(c.Until));
        if (c.Item is { } item)
        {
            w.WriteString("item", item.Classification);
        }

        WriteChanges(w, c.Changes);
        w.WriteEndObject();
    }

    private static void WriteChanges(Utf8JsonWriter w, IReadOnlyList<Change> changes)
    {
        w.WriteStartArray("changes");
        foreach (var c in changes)
        {
            w.WriteStartObject();
            w.WriteString("effective", RulesQueries.Iso(c.Date));
            w.WriteString("kind", c.Kind);
            w.WriteString("subject", c.Subject);
            w.WriteString("description", c.Description);
            ResultJson.WriteCitation(w, c.Citation);
            WriteKnown(w, c.Known);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>
    /// <c>"known"</c>: the day a change became known, or null when the content does not say (then it was known, at the
    /// latest, the day it took effect); with a date, <c>"announcement"</c> holds its citation.
    /// </summary>
    public static void WriteKnown(Utf8JsonWriter w, Announcement? known)
    {
        ArgumentNullException.ThrowIfNull(w);
        if (known is null)
        {
            w.WriteNull("known");
            return;
        }

        w.WriteString("known", RulesQueries.Iso(known.Date));
        w.WriteStartObject("announcement");
        ResultJson.WriteCitation(w, known.Citation);
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
            w.WriteString("from", RulesQueries.Iso(p.From));
        }

        // "to" is the first day no longer in force (periods are half-open); "last_day" says the same for people.
        if (p.To is { } to)
        {
            w.WriteString("to", RulesQueries.Iso(to));
            w.WriteString("last_day", RulesQueries.Iso(to.PlusDays(-1)));
        }
        else
        {
            w.WriteNull("to");
            w.WriteNull("last_day");
        }
    }
}
