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
public sealed record RulesInForce(Jurisdiction Jurisdiction, LocalDate AsOf, CountryCode? Country, IReadOnlyList<GroupMembers> Groups, IReadOnlyList<RuleSummary> Rules);

/// <summary>A country's group memberships and the rule changes that concern it (<c>rules timeline</c>).</summary>
/// <param name="Jurisdiction">The jurisdiction.</param>
/// <param name="Country">The destination.</param>
/// <param name="Groups">Its groups and sets, period by period.</param>
/// <param name="Changes">Changes that concern it, by date.</param>
public sealed record CountryTimeline(Jurisdiction Jurisdiction, CountryCode Country, IReadOnlyList<GroupSpan> Groups, IReadOnlyList<Change> Changes);

/// <summary>The changes taking effect in a date range (<c>rules diff</c>).</summary>
/// <param name="Jurisdiction">The jurisdiction.</param>
/// <param name="From">Changes after this date.</param>
/// <param name="To">Up to and including this date.</param>
/// <param name="Changes">By date.</param>
public sealed record RuleChanges(Jurisdiction Jurisdiction, LocalDate From, LocalDate To, IReadOnlyList<Change> Changes);

/// <summary>Questions about the content over time, from text input as a front end receives it; errors name the input.</summary>
public sealed class RulesQueries(ContentSet content)
{
    /// <summary>The rules in force on <paramref name="asOf"/>, for one destination when <paramref name="country"/> is given.</summary>
    public RulesInForce Show(Input jurisdiction, Input asOf, Input? country)
    {
        var j = Find(jurisdiction);
        var date = ParseDate(asOf);
        CountryCode? destination = country is { } c ? ParseCountry(c) : null;
        var groups = j.Sets.Where(s => s.IsGroup)
            .Select(s => new GroupMembers(s.Name, [.. CountryCode.All.Where(m => ReferenceEvaluator.IsMember(j, s.Id, m, date)).Select(m => m.Value)]))
            .Where(g => destination is not { } d || g.Members.Contains(d.Value))
            .ToList();
        return new RulesInForce(j, date, destination, groups, ChangeLog.InForce(j, date, destination));
    }

    /// <summary>A country's groups and the changes that concern it, over the content's whole time.</summary>
    public CountryTimeline Timeline(Input jurisdiction, Input country)
    {
        var j = Find(jurisdiction);
        var c = ParseCountry(country);
        var (groups, changes) = ChangeLog.Timeline(j, c);
        return new CountryTimeline(j, c, groups, changes);
    }

    /// <summary>Every change taking effect after <paramref name="from"/> and on or before <paramref name="to"/>.</summary>
    public RuleChanges Diff(Input jurisdiction, Input from, Input to)
    {
        var j = Find(jurisdiction);
        var start = ParseDate(from);
        var end = ParseDate(to);
        if (end < start)
        {
            throw new RulesQueryException($"{to.Name} {Iso(end)} is before {from.Name} {Iso(start)}");
        }

        return new RuleChanges(j, start, end, ChangeLog.Between(j, start, end));
    }

    private Jurisdiction Find(Input id) =>
        content.Find(id.Text) ?? throw new RulesQueryException($"{id.Name}: no content for '{id.Text}' (available: {string.Join(", ", content.Jurisdictions.Select(x => x.Id))})");

    private static LocalDate ParseDate(Input input) =>
        LocalDatePattern.Iso.Parse(input.Text) is { Success: true } r ? r.Value : throw new RulesQueryException($"{input.Name}: '{input.Text}' is not a valid date (YYYY-MM-DD)");

    private static CountryCode ParseCountry(Input input) =>
        CountryCode.TryParse(input.Text, out var c) ? c : throw new RulesQueryException($"{input.Name}: '{input.Text}' is not an ISO 3166-1 alpha-2 country code");

    internal static string Iso(LocalDate d) => LocalDatePattern.Iso.Format(d);
}

/// <summary>A value as given, with the name of the input it came from (a flag, a query parameter) for error messages.</summary>
/// <param name="Name">e.g. "--as-of".</param>
/// <param name="Text">The value.</param>
public readonly record struct Input(string Name, string Text);

/// <summary>The JSON forms of the rules queries.</summary>
public static class RulesJson
{
    /// <summary>Writes <c>rules show</c>'s object.</summary>
    public static void Write(Utf8JsonWriter w, RulesInForce r)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(r);
        w.WriteStartObject();
        w.WriteString("jurisdiction", r.Jurisdiction.Id);
        w.WriteString("as_of", RulesQueries.Iso(r.AsOf));
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
        w.WriteStartArray("groups");
        foreach (var g in t.Groups)
        {
            w.WriteStartObject();
            WritePeriod(w, g.Period);
            ResultJson.WriteStrings(w, "groups", g.Groups);
            ResultJson.WriteStrings(w, "sets", g.Sets);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        WriteChanges(w, t.Changes);
        w.WriteEndObject();
    }

    /// <summary>Writes <c>rules diff</c>'s object.</summary>
    public static void Write(Utf8JsonWriter w, RuleChanges c)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(c);
        w.WriteStartObject();
        w.WriteString("jurisdiction", c.Jurisdiction.Id);
        w.WriteString("from", RulesQueries.Iso(c.From));
        w.WriteString("to", RulesQueries.Iso(c.To));
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
            w.WriteEndObject();
        }

        w.WriteEndArray();
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

        if (p.To is { } to)
        {
            w.WriteString("to", RulesQueries.Iso(to));
        }
        else
        {
            w.WriteNull("to");
        }
    }
}
