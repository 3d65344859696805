using System.Text.Json;
using Clearance.Model;

namespace Clearance.Application;

/// <summary>The JSON of <c>rules timeline --item</c>; every field is written, null when empty, so that CSV columns and JSON names agree.</summary>
public static partial class RulesJson
{
    /// <summary>Writes <c>rules timeline --item</c>'s object.</summary>
    public static void Write(Utf8JsonWriter w, ItemTimeline t)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(t);
        w.WriteStartObject();
        w.WriteString("jurisdiction", t.Jurisdiction.Id);
        w.WriteString("item", t.Item.Classification);
        if (t.Country is { } country)
        {
            w.WriteString("country", country.Value);
        }
        else
        {
            w.WriteNull("country");
        }

        WriteWindow(w, t.Window);
        WriteEntry(w, t.Item);
        if (t.Country is not null)
        {
            WriteGroups(w, t.Groups);
        }

        w.WriteStartArray("rules");
        foreach (var rule in t.Rules)
        {
            WriteRule(w, rule);
        }

        w.WriteEndArray();
        WriteChanges(w, t.Changes);
        w.WriteEndObject();
    }

    private static void WriteEntry(Utf8JsonWriter w, ItemEntry item)
    {
        w.WriteStartObject("entry");
        w.WriteString("code", item.Entry.Code);
        w.WriteString("title", item.Entry.Title);
        WriteAttributes(w, item.Attributes);
        ResultJson.WriteStrings(w, "above", [.. item.Above.Select(e => e.Code)]);
        ResultJson.WriteCitation(w, item.Entry.Citation);
        WriteNote(w, item.Entry.Citation);
        if (item.Jurisdiction.ListAsOf is { } asOf)
        {
            w.WriteString("list_as_of", RulesQueries.Iso(asOf));
        }
        else
        {
            w.WriteNull("list_as_of");
        }

        w.WriteString("list_note", item.ListNote);
        w.WriteStartArray("paragraphs");
        foreach (var below in item.Below)
        {
            w.WriteStartObject();
            w.WriteString("code", below.Code);
            w.WriteString("parent", below.Parent);
            w.WriteString("title", below.Title);
            WriteAttributes(w, item.Jurisdiction.AttributesOf(below));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary><c>"attributes"</c>: each attribute with its values, as the evaluator reads them (inherited included).</summary>
    private static void WriteAttributes(Utf8JsonWriter w, IReadOnlyDictionary<string, IReadOnlyList<string>> attributes)
    {
        w.WriteStartObject("attributes");
        foreach (var (name, values) in attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            ResultJson.WriteStrings(w, name, values);
        }

        w.WriteEndObject();
    }

    private static void WriteRule(Utf8JsonWriter w, ItemRule rule)
    {
        w.WriteStartObject();
        w.WriteString("id", rule.Id);
        w.WriteString("category", rule.Category);
        w.WriteString("kind", rule.Kind);
        w.WriteString("selects", rule.Selects);
        w.WriteString("coverage", rule.Coverage);
        w.WriteString("effect", rule.Effect);
        w.WriteString("license", rule.License);
        w.WriteString("condition", rule.Condition);
        w.WriteString("when", rule.When);
        w.WriteString("review_policy", rule.ReviewPolicy);
        w.WriteString("description", rule.Summary.Description);
        w.WriteStartArray("periods");
        foreach (var p in rule.Periods)
        {
            w.WriteStartObject();
            WritePeriod(w, p);
            WriteDate(w, "known", p.StartKnown?.Date);
            WriteDate(w, "end_known", p.To is null ? null : p.EndKnown?.Date);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        ResultJson.WriteCitation(w, rule.Citation);
        WriteNote(w, rule.Citation);
        w.WriteEndObject();
    }

    /// <summary><c>"note"</c>: why an unconfirmed fact is so (the AI diffusion rule's non-enforcement, a date taken as published).</summary>
    private static void WriteNote(Utf8JsonWriter w, Citation c)
    {
        if (c.Unconfirmed && c.Note is not null)
        {
            w.WriteString("note", c.Note);
        }
    }

    private static void WriteDate(Utf8JsonWriter w, string name, NodaTime.LocalDate? date)
    {
        if (date is { } d)
        {
            w.WriteString(name, RulesQueries.Iso(d));
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
