using System.Text;
using Clearance.Model;
using NodaTime.Text;

namespace Clearance.Evaluation;

/// <summary>Turns an <see cref="Outcome"/> into the determination a compliance officer reads.</summary>
internal static class OutcomeText
{
    public static Determination Build(Jurisdiction j, string version, Outcome o)
    {
        var grounds = Bits(o.Grounds).Select(r => j.Requirements[r]).Select(r => new Ground(r.Kind, r.Id, r.Title, r.Citation)).ToArray();
        var eligible = Bits(o.Eligible).Select(l => j.Licences[l].Id).ToArray();
        var conditions = Bits(o.Conditional).Select(s => j.Scope[s])
            .GroupBy(s => s.Licence)
            .ToDictionary(g => g.Key, g => string.Join("; or ", g.Select(s => s.Condition!)), StringComparer.Ordinal);
        var groups = Bits(o.Groups).Select(s => j.Sets[s].Name).ToArray();
        var missing = MissingText(j, o.Missing);
        int? reviewDays = o.ReviewRule >= 0 ? j.Reviews[o.ReviewRule].Days : null;

        var trace = new List<TraceEntry>();
        trace.AddRange(Bits(o.Grounds).Select(r => j.Requirements[r]).Select(r => new TraceEntry(r.Id, "applies", r.Citation)));
        trace.AddRange(Bits(o.Maybe).Select(r => j.Requirements[r]).Select(r => new TraceEntry(r.Id, $"may apply: it applies when {r.When} to {r.Items}", r.Citation)));
        trace.AddRange(Bits(o.ExcludedByDestination).Select(r => j.Requirements[r]).Select(r => new TraceEntry(r.Id, $"does not apply: destination is outside {r.Destinations}", r.Citation)));
        trace.AddRange(Bits(o.ExcludedByCondition).Select(r => j.Requirements[r]).Select(r => new TraceEntry(r.Id, $"does not apply: it applies only when {r.When}", r.Citation)));
        trace.AddRange(Bits(o.Allowing).Select(s => j.Scope[s]).Select(s => new TraceEntry(s.Id, $"{s.Licence} can authorise: {s.Title}", s.Citation)));
        trace.AddRange(Bits(o.Denying).Select(s => j.Scope[s]).Select(s => new TraceEntry(s.Id, $"withdraws {s.Licence}: {s.Title}", s.Citation)));
        trace.AddRange(Bits(o.DenyMaybe).Select(s => j.Scope[s]).Select(s => new TraceEntry(s.Id, $"may withdraw {s.Licence} (item given only as a row): {s.Title}", s.Citation)));
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

        foreach (var set in Bits(o.Groups).Select(s => j.Sets[s]).Where(s => s.Citation.Unconfirmed))
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
                var denied = Bits(o.Denying).Select(s => j.Scope[s]).ToList();
                if (denied.Count > 0)
                {
                    text.Append($" Withdrawn: {string.Join(", ", denied.Select(s => s.Licence).Distinct())}: {denied[0].Title} ({string.Join(", ", denied.Select(s => s.Id))}).");
                }

                var maybeDenied = Bits(o.DenyMaybe).Select(s => j.Scope[s]).ToList();
                if (maybeDenied.Count > 0)
                {
                    text.Append($" Left out, as a withdrawal may apply to this row (give the item number): {string.Join(", ", maybeDenied.Select(s => s.Licence).Distinct())} ({string.Join(", ", maybeDenied.Select(s => s.Id))}).");
                }

                break;
            case Verdict.Indeterminate:
                text.Append("Indeterminate: missing ").AppendJoin("; ", missing).Append('.');
                foreach (var rule in Bits(o.Maybe).Select(r => j.Requirements[r]))
                {
                    text.Append($" {rule.Title} ({rule.Id}) applies when {rule.When}.");
                }

                text.Append(destination);
                break;
            default:
                text.Append("No licence required: no rule in force requires one for this item, destination and facts.");
                text.Append(destination);
                var byDestination = System.Numerics.BitOperations.PopCount(o.ExcludedByDestination);
                var byCondition = System.Numerics.BitOperations.PopCount(o.ExcludedByCondition);
                if (byDestination + byCondition > 0)
                {
                    text.Append($" Rules on this item that do not apply: {byDestination} by destination, {byCondition} by end use, end user or inform (see trace).");
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

    private static string[] MissingText(Jurisdiction j, MissingFact missing)
    {
        var list = new List<string>();
        if (missing.HasFlag(MissingFact.Coverage))
        {
            list.Add($"date: the {j.Id} content covers exports from {LocalDatePattern.Iso.Format(j.CoverageFrom)}");
        }

        if (missing.HasFlag(MissingFact.ItemDetail))
        {
            list.Add("item: the item number within the row (e.g. JP:3(1) rather than JP:3)");
        }

        if (missing.HasFlag(MissingFact.EndUse))
        {
            list.Add("end_use");
        }

        if (missing.HasFlag(MissingFact.EndUser))
        {
            list.Add("end_user");
        }

        if (missing.HasFlag(MissingFact.EndUserScreening))
        {
            list.Add($"end_user screening: the {j.EndUserList ?? "end-user"} list is not loaded (clearance lists import)");
        }

        if (missing.HasFlag(MissingFact.EndUserReview))
        {
            list.Add($"end_user_review: the end user is a possible match on the {j.EndUserList ?? "end-user"} list; a decision must confirm or clear it (see end_user_matches)");
        }

        return [.. list];
    }

    internal static IEnumerable<int> Bits(ulong mask)
    {
        while (mask != 0)
        {
            var bit = System.Numerics.BitOperations.TrailingZeroCount(mask);
            yield return bit;
            mask &= mask - 1;
        }
    }
}
