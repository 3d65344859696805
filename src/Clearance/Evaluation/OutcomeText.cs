using System.Text;
using Clearance.Model;
using NodaTime.Text;

namespace Clearance.Evaluation;

/// <summary>Turns an <see cref="Outcome"/> into the determination a compliance officer reads.</summary>
internal static class OutcomeText
{
    public static Determination Build(Jurisdiction j, string version, Outcome o)
    {
        var grounds = o.List(Section.Grounds).Select(r => j.Requirements[r]).Select(r => new Ground(r.Kind, r.Id, r.Title, r.Citation)).ToArray();
        var eligible = o.List(Section.Eligible).Select(l => j.Licenses[l].Id).ToArray();
        var conditions = o.List(Section.Conditional).Select(s => (j.Scope[s].License, Text: j.Scope[s].Condition!))
            .Concat(o.List(Section.AllowMaybe).Select(s => (j.Scope[s].License, Text: $"if {j.Scope[s].When} (not decided from the facts given)")))
            .GroupBy(p => p.License)
            .ToDictionary(g => g.Key, g => string.Join("; or ", g.Select(p => p.Text)), StringComparer.Ordinal);
        var groups = o.List(Section.Groups).Select(s => j.Sets[s].Name).ToArray();
        var missing = MissingText(j, o[Section.Missing]);
        int? reviewDays = o.ReviewRule >= 0 ? j.Reviews[o.ReviewRule].Days : null;

        IEnumerable<RequirementRule> Requirements(Section section) => o.List(section).Select(r => j.Requirements[r]);
        IEnumerable<LicenseScopeRule> Scope(Section section) => o.List(section).Select(s => j.Scope[s]);
        var trace = new List<TraceEntry>();
        trace.AddRange(Requirements(Section.Grounds).Select(r => new TraceEntry(r.Id, "applies", r.Citation)));
        trace.AddRange(Requirements(Section.Maybe).Select(r => new TraceEntry(r.Id, $"may apply: it applies when {r.When} to {r.Items}", r.Citation)));
        trace.AddRange(Requirements(Section.ExcludedByDestination).Select(r => new TraceEntry(r.Id, $"does not apply: destination is outside {r.Destinations}", r.Citation)));
        trace.AddRange(Requirements(Section.ExcludedByCondition).Select(r => new TraceEntry(r.Id, $"does not apply: it applies only when {r.When}", r.Citation)));
        trace.AddRange(Scope(Section.Allowing).Select(s => new TraceEntry(s.Id, $"{s.License} can authorise: {s.Title}", s.Citation)));
        trace.AddRange(Scope(Section.AllowMaybe).Select(s => new TraceEntry(s.Id, $"{s.License} can authorise if {s.When}: {s.Title}", s.Citation)));
        trace.AddRange(Scope(Section.Denying).Select(s => new TraceEntry(s.Id, $"withdraws {s.License}: {s.Title}", s.Citation)));
        trace.AddRange(Scope(Section.DenyMaybe).Select(s => new TraceEntry(s.Id, $"may withdraw {s.License} (item given only as a row, or a fact not given): {s.Title}", s.Citation)));
        if (o.ReviewRule >= 0)
        {
            var review = j.Reviews[o.ReviewRule];
            trace.Add(new TraceEntry(review.Id, $"standard review period {review.Days} days", review.Citation));
        }

        var unconfirmed = new List<string>();
        if (o.UnconfirmedItem >= 0)
        {
            var item = j.Items[o.UnconfirmedItem];
            unconfirmed.Add($"{j.Id}:{item.Code}: {item.Citation.Note ?? "item unconfirmed"}");
        }

        foreach (var entry in trace.Where(t => t.Citation.Unconfirmed))
        {
            unconfirmed.Add($"{entry.Rule}: {entry.Citation.Note ?? "unconfirmed"}");
        }

        foreach (var set in o.List(Section.Groups).Select(s => j.Sets[s]).Where(s => s.Citation.Unconfirmed))
        {
            unconfirmed.Add($"{set.Id}: {set.Citation.Note ?? "membership unconfirmed"}");
        }

        var explanation = Explain(j, o, grounds, eligible, conditions, groups, missing);
        return new Determination(j.Id, o.Verdict, eligible, conditions, reviewDays, grounds, missing, groups, trace, unconfirmed.Distinct().ToArray(), explanation, version);
    }

    private static string Explain(
        Jurisdiction j,
        Outcome o,
        Ground[] grounds,
        string[] eligible,
        Dictionary<string, string> conditions,
        string[] groups,
        string[] missing)
    {
        // One look for a compliance officer: the verdict, the rule that decided it and, for licences, what is
        // available and what was withdrawn. Citations sit in the grounds; every rule consulted is in the trace.
        var text = new StringBuilder();
        var destination = groups.Length > 0 ? $" Destination: {string.Join(", ", groups)}." : "";
        switch (o.Verdict)
        {
            case Verdict.Prohibited:
                text.Append("Prohibited. ");
                AppendGrounds(text, grounds.Where(g => g.Kind == RequirementKind.Embargo));
                break;
            case Verdict.LicenseRequired:
                text.Append("Licence required. ");
                AppendGrounds(text, grounds);
                text.Append(destination);
                text.Append(" Eligible: ");
                text.AppendJoin(", ", eligible.Select(id => conditions.ContainsKey(id) ? id + " (conditional)" : id));
                text.Append('.');
                var denied = o.List(Section.Denying).Select(s => j.Scope[s]).ToList();
                if (denied.Count > 0)
                {
                    text.Append($" Withdrawn: {string.Join(", ", denied.Select(s => s.License).Distinct())}: {denied[0].Title} ({string.Join(", ", denied.Select(s => s.Id))}).");
                }

                var maybeDenied = o.List(Section.DenyMaybe).Select(s => j.Scope[s]).ToList();
                if (maybeDenied.Count > 0)
                {
                    text.Append($" Left out, as a withdrawal may apply (give the item number or the missing fact): {string.Join(", ", maybeDenied.Select(s => s.License).Distinct())} ({string.Join(", ", maybeDenied.Select(s => s.Id))}).");
                }

                break;
            case Verdict.Indeterminate:
                text.Append("Indeterminate: missing ").AppendJoin("; ", missing).Append('.');
                foreach (var rule in o.List(Section.Maybe).Select(r => j.Requirements[r]))
                {
                    text.Append($" {rule.Title} ({rule.Id}) applies when {rule.When}.");
                }

                text.Append(destination);
                break;
            default:
                text.Append("No licence required: no rule in force requires one for this item, destination and facts.");
                text.Append(destination);
                var byDestination = o[Section.ExcludedByDestination].Length;
                var byCondition = o[Section.ExcludedByCondition].Length;
                if (byDestination + byCondition > 0)
                {
                    text.Append($" Rules on this item that do not apply: {byDestination} by destination, {byCondition} by a fact of the shipment (see trace).");
                }

                break;
        }

        return text.ToString();
    }

    private static void AppendGrounds(StringBuilder text, IEnumerable<Ground> grounds)
    {
        foreach (var g in grounds)
        {
            text.Append($"{g.Title} ({g.Rule}). ");
        }

        text.Length -= text.Length > 0 && text[^1] == ' ' ? 1 : 0;
    }

    private static string[] MissingText(Jurisdiction j, ReadOnlySpan<int> codes)
    {
        var facts = j.AllFacts.ToList();
        var list = new List<string>();
        foreach (var code in codes)
        {
            list.Add(code switch
            {
                MissingCode.Coverage => $"date: the {j.Id} content covers exports from {LocalDatePattern.Iso.Format(j.CoverageFrom)}",
                MissingCode.ItemDetail => $"item: the item number within the row (e.g. {ItemExample(j)})",
                MissingCode.Classification => $"item: a {j.Id} classification ({j.Id}:<code>): the {j.Name} regime governs this export",
                MissingCode.Content => $"content: {j.Incomplete}",
                MissingCode.EndUser => "end_user",
                MissingCode.EndUserScreening => $"end_user screening: the {j.EndUserList ?? "end-user"} list is not loaded (clearance lists import)",
                MissingCode.EndUserReview => $"end_user_review: the end user is a possible match on the {j.EndUserList ?? "end-user"} list; a decision must confirm or clear it (see end_user_matches)",
                _ => FactText(facts, code),
            });
        }

        return [.. list];
    }

    private static string ItemExample(Jurisdiction j) =>
        j.Items.FirstOrDefault(i => i.Parent is not null) is { } item ? $"{j.Id}:{item.Code} rather than {j.Id}:{item.Parent}" : $"a {j.Id} item code";

    private static string FactText(List<FactDefinition> facts, int code)
    {
        var (fact, unconvertible) = MissingCode.Decode(code);
        var id = facts[fact].Id;
        return !unconvertible ? id
            : id == Facts.Value ? "value: an exchange rate from the shipment's currency into the currency of the rule's limit (give a rates file)"
            : $"{id}: in the unit of the rule's limit (units are not converted)";
    }
}
