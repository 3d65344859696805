using Clearance.Model;
using NodaTime;

namespace Clearance.Evaluation;

/// <summary>
/// The determination written as plainly as possible, straight from the model: every period checked, every set
/// membership resolved recursively. It is slow and kept as the specification that <see cref="CompiledJurisdiction"/>
/// must agree with (a test compares them on generated shipments).
/// </summary>
public static class ReferenceEvaluator
{
    /// <summary>Determines one shipment.</summary>
    public static Determination Evaluate(Jurisdiction jurisdiction, string contentVersion, in ShipmentFacts facts) =>
        OutcomeText.Build(jurisdiction, contentVersion, Compute(jurisdiction, facts));

    internal static Outcome Compute(Jurisdiction j, in ShipmentFacts f)
    {
        var item = j.Items[f.Item];
        var unconfirmedItem = item.Citation.Unconfirmed ? f.Item : -1;
        ulong groups = 0;
        for (var s = 0; s < j.Sets.Count; s++)
        {
            if (j.Sets[s].IsGroup && IsMember(j, j.Sets[s].Id, f.Destination, f.Date))
            {
                groups |= 1UL << s;
            }
        }

        if (f.Date < j.CoverageFrom)
        {
            return new Outcome(Verdict.Indeterminate, 0, 0, 0, 0, MissingFact.Coverage, 0, 0, 0, 0, 0, -1, groups, unconfirmedItem);
        }

        ulong grounds = 0, maybe = 0, byDestination = 0, byCondition = 0;
        var missing = MissingFact.None;
        var prohibited = false;
        for (var r = 0; r < j.Requirements.Count; r++)
        {
            var rule = j.Requirements[r];
            if (!InForce(rule.Periods, f.Date))
            {
                continue;
            }

            var itemMatch = ItemMatch(j, rule.Items, item);
            if (itemMatch == Match.No)
            {
                continue;
            }

            if (Destination(j, rule.Destinations, f.Destination, f.Date) == Match.No)
            {
                byDestination |= 1UL << r;
                continue;
            }

            var condition = Tri.Condition(rule.When, f, out var needs);
            var overall = Tri.And(itemMatch, condition);
            if (overall == Match.Yes)
            {
                grounds |= 1UL << r;
                prohibited |= rule.Kind == RequirementKind.Embargo;
            }
            else if (overall == Match.Maybe)
            {
                maybe |= 1UL << r;
                missing |= needs | (itemMatch == Match.Maybe ? MissingFact.ItemDetail : MissingFact.None);
            }
            else
            {
                byCondition |= 1UL << r;
            }
        }

        var verdict = prohibited ? Verdict.Prohibited
            : grounds != 0 ? Verdict.LicenseRequired
            : maybe != 0 ? Verdict.Indeterminate
            : Verdict.NoLicenseRequired;
        if (verdict != Verdict.Indeterminate)
        {
            missing = MissingFact.None;
        }

        if (verdict != Verdict.LicenseRequired)
        {
            return new Outcome(verdict, grounds, maybe, byDestination, byCondition, missing, 0, 0, 0, 0, 0, -1, groups, unconfirmedItem);
        }

        var kinds = j.Requirements.Where((_, r) => (grounds & (1UL << r)) != 0).Select(r => r.Kind).ToHashSet();
        ulong eligible = 0, allowing = 0, conditional = 0, denying = 0, denyMaybe = 0;
        for (var l = 0; l < j.Licences.Count; l++)
        {
            var licence = j.Licences[l].Id;
            bool allowed = false, unconditional = false;
            ulong allows = 0, conditions = 0, denies = 0, maybeDenies = 0;
            for (var s = 0; s < j.Scope.Count; s++)
            {
                var rule = j.Scope[s];
                if (rule.Licence != licence || !InForce(rule.Periods, f.Date)
                    || Destination(j, rule.Destinations, f.Destination, f.Date) != Match.Yes)
                {
                    continue;
                }

                var itemMatch = ItemMatch(j, rule.Items, item);
                if (rule.Effect == ScopeEffect.Allow)
                {
                    if (itemMatch == Match.Yes && (rule.Grounds.Count == 0 || kinds.All(rule.Grounds.Contains)))
                    {
                        allowed = true;
                        allows |= 1UL << s;
                        unconditional |= rule.Condition is null;
                        conditions |= rule.Condition is null ? 0 : 1UL << s;
                    }
                }
                else if (itemMatch == Match.Yes)
                {
                    denies |= 1UL << s;
                }
                else if (itemMatch == Match.Maybe)
                {
                    maybeDenies |= 1UL << s;
                }
            }

            if (!allowed)
            {
                continue;
            }

            if (denies == 0 && maybeDenies == 0)
            {
                eligible |= 1UL << l;
                allowing |= allows;
                conditional |= unconditional ? 0 : conditions;
            }
            else
            {
                denying |= denies;
                denyMaybe |= maybeDenies;
            }
        }

        var review = -1;
        var individual = j.Licences.Select((t, i) => (t, i)).FirstOrDefault(p => p.t.Id == "individual");
        if (individual.t is not null && (eligible & (1UL << individual.i)) != 0)
        {
            for (var v = 0; v < j.Reviews.Count; v++)
            {
                var rule = j.Reviews[v];
                if (rule.Licence == "individual" && InForce(rule.Periods, f.Date)
                    && Destination(j, rule.Destinations, f.Destination, f.Date) == Match.Yes
                    && (review < 0 || rule.Days > j.Reviews[review].Days))
                {
                    review = v;
                }
            }
        }

        return new Outcome(verdict, grounds, maybe, byDestination, byCondition, missing, eligible, allowing, conditional, denying, denyMaybe, review, groups, unconfirmedItem);
    }

    /// <summary>Whether one of the periods contains the date.</summary>
    public static bool InForce(IReadOnlyList<Period> periods, LocalDate date) => periods.Any(p => p.Contains(date));

    /// <summary>Whether the item falls under the selector: yes, no, or maybe when the item is given only as a row above a selected entry.</summary>
    public static Match ItemMatch(Jurisdiction j, ItemSelector selector, ControlEntry item)
    {
        if (selector.Any || selector.Codes.Any(code => IsSelfOrBelow(j, item.Code, code)))
        {
            return Match.Yes;
        }

        return selector.Codes.Any(code => IsSelfOrBelow(j, code, item.Code)) ? Match.Maybe : Match.No;
    }

    /// <summary>Whether <paramref name="country"/> is a member of the set on <paramref name="date"/>.</summary>
    public static bool IsMember(Jurisdiction j, string setId, CountryCode country, LocalDate date)
    {
        var set = j.Sets.First(s => s.Id == setId);
        return set.Kind switch
        {
            CountrySetKind.Explicit => set.Members.Any(m => m.Country == country && m.Period.Contains(date)),
            CountrySetKind.Union => set.Of.Any(o => IsMember(j, o, country, date)),
            _ => !set.Of.Any(o => IsMember(j, o, country, date)),
        };
    }

    /// <summary>Whether the destination selector covers the country on the date.</summary>
    public static Match Destination(Jurisdiction j, DestinationSelector selector, CountryCode country, LocalDate date)
    {
        var included = selector.Any || selector.Countries.Contains(country) || selector.Sets.Any(s => IsMember(j, s, country, date));
        var excluded = selector.ExceptCountries.Contains(country) || selector.ExceptSets.Any(s => IsMember(j, s, country, date));
        return included && !excluded ? Match.Yes : Match.No;
    }

    private static bool IsSelfOrBelow(Jurisdiction j, string code, string ancestor)
    {
        for (string? current = code; current is not null; current = j.Items.FirstOrDefault(i => i.Code == current)?.Parent)
        {
            if (current == ancestor)
            {
                return true;
            }
        }

        return false;
    }
}
