using Clearance.Model;
using NodaTime;

namespace Clearance.Evaluation;

/// <summary>
/// The determination written as plainly as possible, straight from the model: every period checked, every set
/// membership resolved recursively, every fact test read from the model. It is slow and kept as the specification
/// that <see cref="CompiledJurisdiction"/> must agree with (tests compare them on generated shipments, over the
/// built-in content and over randomly generated jurisdictions).
/// </summary>
public static class ReferenceEvaluator
{
    internal static Outcome Compute(Jurisdiction j, in ShipmentFacts f, ExchangeRates? rates = null)
    {
        rates ??= ExchangeRates.None;
        var builder = new OutcomeBuilder();
        var (destination, date) = (f.Destination, f.Date);
        var groups = Enumerable.Range(0, j.Sets.Count).Where(s => j.Sets[s].IsGroup && IsMember(j, j.Sets[s].Id, destination, date)).ToArray();
        var flagged = UnconfirmedMembership.Of(j);
        var unconfirmedMemberships = Enumerable.Range(0, flagged.Count).Where(u => flagged[u].Concerns(j, destination, date)).ToArray();
        var unconfirmedItem = f.Item >= 0 && j.Items[f.Item].Citation.Unconfirmed ? f.Item : -1;
        int? stop = j.Incomplete is not null ? MissingCode.Content
            : f.Item < 0 ? MissingCode.Classification
            : f.Date < j.CoverageFrom ? MissingCode.Coverage
            : null;
        var dateFlags = DateFlags.Of(j, f.Date);
        if (stop is { } reason)
        {
            return Finish(builder, Verdict.Indeterminate, -1, unconfirmedItem, dateFlags, -1, [], [], [], [], [reason], [], [], [], [], [], [], [], groups, unconfirmedMemberships);
        }

        var item = j.Items[f.Item];
        List<int> grounds = [], maybe = [], byDestination = [], byCondition = [];
        var missing = new SortedSet<int>();
        var prohibited = false;
        var gap = false;
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
                byDestination.Add(r);
                continue;
            }

            if (rule.ExportedFrom is { } exportedFrom && (f.From is not { } origin || Destination(j, exportedFrom, origin, f.Date) != Match.Yes))
            {
                // Made from a country the rule does not name (744.11(a)(2)(v)(A)(2)-(3)): excluded as by a fact of the line.
                byCondition.Add(r);
                continue;
            }

            var needs = new SortedSet<int>();
            var overall = Tri.And(itemMatch, Condition(j, rule.When, f, rates, needs));
            if (rule.Kind == RequirementKind.Gap && overall != Match.No)
            {
                // Not covered by the content: never a ground, always undecided, naming the gap.
                maybe.Add(r);
                missing.UnionWith(needs);
                missing.Add(MissingCode.Gap(r));
                gap |= overall == Match.Yes;
                if (itemMatch == Match.Maybe)
                {
                    missing.Add(MissingCode.ItemDetail);
                }
            }
            else if (overall == Match.Yes)
            {
                grounds.Add(r);
                prohibited |= rule.Kind == RequirementKind.Embargo;
            }
            else if (overall == Match.Maybe)
            {
                maybe.Add(r);
                missing.UnionWith(needs);
                if (itemMatch == Match.Maybe)
                {
                    missing.Add(MissingCode.ItemDetail);
                }
            }
            else
            {
                byCondition.Add(r);
            }
        }

        var verdict = prohibited ? Verdict.Prohibited
            : gap ? Verdict.Indeterminate
            : grounds.Count > 0 ? Verdict.LicenseRequired
            : maybe.Count > 0 ? Verdict.Indeterminate
            : Verdict.NoLicenseRequired;
        if (verdict != Verdict.Indeterminate)
        {
            missing.Clear();
        }

        if (verdict != Verdict.LicenseRequired)
        {
            return Finish(builder, verdict, -1, unconfirmedItem, dateFlags, -1, grounds, maybe, byDestination, byCondition, [.. missing], [], [], [], [], [], [], [], groups, unconfirmedMemberships);
        }

        List<int> eligible = [], allowing = [], conditional = [], allowMaybe = [], denying = [], denyMaybe = [], denySubItem = [];
        for (var l = 0; l < j.Licenses.Count; l++)
        {
            var licence = j.Licenses[l].Id;
            bool allowed = false, unconditional = false;
            List<int> allows = [], conditions = [], maybeAllows = [], denies = [], maybeDenies = [], subItemDenies = [];
            for (var s = 0; s < j.Scope.Count; s++)
            {
                var rule = j.Scope[s];
                if (rule.License != licence || !InForce(rule.Periods, f.Date)
                    || Destination(j, rule.Destinations, f.Destination, f.Date) != Match.Yes
                    || (rule.ExportedFrom is { } exportedFrom && (f.From is not { } origin || Destination(j, exportedFrom, origin, f.Date) != Match.Yes)))
                {
                    continue;
                }

                var itemMatch = ItemMatch(j, rule.Items, item);
                var condition = Condition(j, rule.When, f, rates, new SortedSet<int>());
                if (rule.Effect == ScopeEffect.Allow)
                {
                    if (itemMatch != Match.Yes || !grounds.All(g => rule.Answers(j.Requirements[g])) || condition == Match.No)
                    {
                        continue;
                    }

                    allowed = true;
                    if (condition == Match.Maybe)
                    {
                        maybeAllows.Add(s);
                        continue;
                    }

                    allows.Add(s);
                    unconditional |= rule.Condition is null;
                    if (rule.Condition is not null)
                    {
                        conditions.Add(s);
                    }
                }
                else
                {
                    var overall = Tri.And(itemMatch, condition);
                    if (overall == Match.Yes)
                    {
                        denies.Add(s);
                    }
                    else if (itemMatch == Match.Maybe && condition == Match.Yes)
                    {
                        // The item is given as a whole whose sub-items the rule names: it depends on the sub-item.
                        subItemDenies.Add(s);
                    }
                    else if (overall == Match.Maybe)
                    {
                        maybeDenies.Add(s);
                    }
                }
            }

            if (!allowed)
            {
                continue;
            }

            if (denies.Count == 0 && maybeDenies.Count == 0 && subItemDenies.Count == 0)
            {
                eligible.Add(l);
                allowing.AddRange(allows);
                if (!unconditional)
                {
                    conditional.AddRange(conditions);
                    allowMaybe.AddRange(maybeAllows);
                }
            }
            else
            {
                denying.AddRange(denies);
                denyMaybe.AddRange(maybeDenies);
                denySubItem.AddRange(subItemDenies);
            }
        }

        var review = -1;
        var individual = j.Licenses.Select((t, i) => (t, i)).FirstOrDefault(p => p.t.Id == j.IndividualLicense);
        if (individual.t is not null && eligible.Contains(individual.i))
        {
            for (var v = 0; v < j.Reviews.Count; v++)
            {
                var rule = j.Reviews[v];
                if (rule.License == j.IndividualLicense && InForce(rule.Periods, f.Date)
                    && Destination(j, rule.Destinations, f.Destination, f.Date) == Match.Yes
                    && (review < 0 || rule.Days > j.Reviews[review].Days))
                {
                    review = v;
                }
            }
        }

        return Finish(builder, verdict, review, unconfirmedItem, dateFlags, denySubItem.Count > 0 ? f.Item : -1, grounds, maybe, byDestination, byCondition, [],
            eligible, [.. allowing.Order()], [.. conditional.Order()], [.. allowMaybe.Order()], [.. denying.Order()], [.. denyMaybe.Order()], [.. denySubItem.Order()], groups, unconfirmedMemberships);
    }

    private static Outcome Finish(OutcomeBuilder b, Verdict verdict, int review, int unconfirmedItem, int dateFlags, int subjectItem, params IReadOnlyList<int>[] sections)
    {
        b.Start(verdict, review, unconfirmedItem, dateFlags, subjectItem);
        foreach (var section in sections)
        {
            b.Section([.. section]);
        }

        return new Outcome(b.Code.ToArray());
    }

    /// <summary>Whether one of the periods contains the date.</summary>
    public static bool InForce(IReadOnlyList<Period> periods, LocalDate date) => periods.Any(p => p.Contains(date));

    /// <summary>Whether the regime governs exports from <paramref name="exporter"/> on <paramref name="date"/> (by exporting country).</summary>
    public static bool GovernsExportsFrom(Jurisdiction j, CountryCode exporter, LocalDate date) =>
        j.ExporterSelector is { } selector && Destination(j, selector, exporter, date) == Match.Yes;

    /// <summary>
    /// Whether the item falls under the selector: yes; maybe when the item is given only as a row above an entry the
    /// selector takes; no.
    /// </summary>
    public static Match ItemMatch(Jurisdiction j, ItemSelector selector, ControlEntry item)
    {
        if (Takes(j, selector, item))
        {
            // An entry below that does not inherit the value the rule selects by (0A617.y under 0A617's NS1) is not
            // taken: the item given whole is then answered as a row whose sub-items differ.
            // So is an entry below that the selector excepts (5A992.c of 5A992).
            return (j.HasNotInheritedBelow(item) || selector.Except.Any(code => code != item.Code && IsSelfOrBelow(j, code, item.Code)))
                && LeavesBelow(j, selector, item.Code) ? Match.Maybe : Match.Yes;
        }

        return TakesBelow(j, selector, item.Code) ? Match.Maybe : Match.No;
    }

    private static bool LeavesBelow(Jurisdiction j, ItemSelector selector, string code) =>
        j.ChildrenOf(code).Any(child => !Takes(j, selector, child) || LeavesBelow(j, selector, child.Code));

    private static bool TakesBelow(Jurisdiction j, ItemSelector selector, string code) =>
        j.ChildrenOf(code).Any(child => Takes(j, selector, child) || TakesBelow(j, selector, child.Code));

    private static bool Takes(Jurisdiction j, ItemSelector selector, ControlEntry item)
    {
        if (!selector.Any && !(selector.Listed ? IsListed(j, item) : selector.Codes.Any(code => IsSelfOrBelow(j, item.Code, code))))
        {
            return false;
        }

        if (selector.Except.Any(code => IsSelfOrBelow(j, item.Code, code)))
        {
            return false;
        }

        var attributes = j.AttributesOf(item);
        return selector.Where.All(w => attributes.TryGetValue(w.Key, out var values) && values.Any(w.Value.Contains));
    }

    /// <summary>Whether <paramref name="country"/> is a member of the set on <paramref name="date"/>.</summary>
    public static bool IsMember(Jurisdiction j, string setId, CountryCode country, LocalDate date)
    {
        var set = j.Sets.First(s => s.Id == setId);
        if (!set.Existence.Contains(date))
        {
            return false;
        }

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

    /// <summary>Evaluates a rule's fact tests: no when one fails, maybe (naming the facts in <paramref name="missing"/>) when one cannot be decided.</summary>
    internal static Match Condition(Jurisdiction j, FactCondition condition, in ShipmentFacts f, ExchangeRates rates, SortedSet<int> missing)
    {
        var result = Match.Yes;
        foreach (var test in condition.Tests)
        {
            var fact = j.AllFacts.Select((d, i) => (d, i)).First(p => p.d.Id == test.Fact);
            var match = Test(fact.d, fact.i, test, f, rates, missing);
            result = Tri.And(result, match);
        }

        if (result != Match.Maybe)
        {
            missing.Clear();
        }

        return result;
    }

    private static Match Test(FactDefinition fact, int index, FactTest test, in ShipmentFacts f, ExchangeRates rates, SortedSet<int> missing)
    {
        Match Missing(int code)
        {
            missing.Add(code);
            return Match.Maybe;
        }

        switch (fact.Id)
        {
            case Facts.EndUse:
                return f.EndUse == EndUse.Unknown ? Missing(MissingCode.NotGiven(index))
                    : ((OneOfTest)test).Values.Contains(Names.Of(f.EndUse)) ? Match.Yes : Match.No;
            case Facts.Informed:
                return f.Informed == ((FlagTest)test).Expected ? Match.Yes : Match.No;
            case Facts.EndUserListed:
                var expected = ((FlagTest)test).Expected;
                return f.EndUser switch
                {
                    EndUserStatus.Listed => expected ? Match.Yes : Match.No,
                    EndUserStatus.Clear => expected ? Match.No : Match.Yes,
                    EndUserStatus.NotGiven => Missing(MissingCode.EndUser),
                    EndUserStatus.NotScreened => Missing(MissingCode.EndUserScreening),
                    _ => Missing(MissingCode.EndUserReview),
                };
            case Facts.Value:
            case Facts.Quantity:
                var amount = fact.Id == Facts.Value ? f.Value : f.Quantity;
                return amount is not { } given ? Missing(MissingCode.NotGiven(index)) : CompareAmount((CompareTest)test, given, fact.Id == Facts.Value, index, f, rates, missing);
        }

        string? text = null;
        if (f.Declared?.TryGetValue(fact.Id, out text) != true || text is null)
        {
            if (fact.DefaultWhenMissing is not { } fallback)
            {
                return Missing(MissingCode.NotGiven(index));
            }

            text = fallback ? "true" : "false";
        }

        return test switch
        {
            FlagTest flag => (text == "true") == flag.Expected ? Match.Yes : Match.No,
            OneOfTest oneOf => oneOf.Values.Contains(text) ? Match.Yes : Match.No,
            CompareTest compare => Amount.TryParse(text, out var declared) ? CompareAmount(compare, declared, false, index, f, rates, missing) : Missing(MissingCode.NotGiven(index)),
            _ => throw new InvalidOperationException($"unknown fact test {test}"),
        };
    }

    private static Match CompareAmount(CompareTest test, Amount given, bool convertible, int index, in ShipmentFacts f, ExchangeRates rates, SortedSet<int> missing)
    {
        if (given.Unit == test.Bound.Unit)
        {
            return test.Holds(given.Value) ? Match.Yes : Match.No;
        }

        if (convertible && rates.TryConvert(given.Value, given.Unit, test.Bound.Unit, f.Date, out var converted))
        {
            return test.Holds(converted) ? Match.Yes : Match.No;
        }

        missing.Add(MissingCode.Unconvertible(index));
        return Match.Maybe;
    }

    /// <summary>Whether the entry is on the control list: neither a catch-all scope nor below one.</summary>
    private static bool IsListed(Jurisdiction j, ControlEntry item)
    {
        for (var current = item; current is not null; current = current.Parent is null ? null : j.FindItem(current.Parent))
        {
            if (current.CatchAll)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsSelfOrBelow(Jurisdiction j, string code, string ancestor)
    {
        for (string? current = code; current is not null; current = j.FindItem(current)?.Parent)
        {
            if (current == ancestor)
            {
                return true;
            }
        }

        return false;
    }
}
