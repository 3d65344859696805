using System.Collections.Concurrent;
using System.Collections.Frozen;
using Clearance.Model;
using NodaTime;

namespace Clearance.Evaluation;

/// <summary>
/// A jurisdiction compiled for fast, allocation-free determination. The dates on which anything changes split time
/// into epochs; within one epoch every rule is either in force or not and every set membership is fixed, so set
/// membership is precomputed as one bit mask per (epoch, country) and item selectors as one table per rule. A shipment
/// costs a binary search for its epoch and a pass over the rules in force with bit operations; equal outcomes share
/// one immutable <see cref="Determination"/>. <see cref="ReferenceEvaluator"/> is the specification it is tested against.
/// </summary>
public sealed class CompiledJurisdiction
{
    private readonly string _version;
    private readonly FrozenDictionary<string, int> _itemIndex;
    private readonly LocalDate[] _epochStarts;
    private readonly ulong[][] _membership; // [epoch][country] → bit per set
    private readonly int[][] _requirementsInForce;
    private readonly int[][] _scopeInForce;
    private readonly int[][] _reviewsInForce;
    private readonly Match[][] _requirementItems; // [rule][item]
    private readonly Match[][] _scopeItems;
    private readonly CompiledDestination[] _requirementDestinations;
    private readonly CompiledDestination[] _scopeDestinations;
    private readonly CompiledDestination[] _reviewDestinations;
    private readonly ulong _groupMask;
    private readonly ulong _embargoMask;
    private readonly byte[] _requirementKindBits; // [rule] → 1 << kind
    private readonly byte[] _scopeGroundBits; // [scope rule] → bits of kinds it can answer (all when unrestricted)
    private readonly int[] _scopeLicence;
    private readonly int _individual;
    private readonly bool[] _itemUnconfirmed;
    private readonly ConcurrentDictionary<Outcome, Determination> _determinations = new();

    private CompiledJurisdiction(Jurisdiction model, string version)
    {
        Model = model;
        _version = version;
        if (model.Sets.Count > 64 || model.Requirements.Count > 64 || model.Scope.Count > 64 || model.Licences.Count > 64)
        {
            throw new ContentValidationException(
                new[] { new ContentError(model.Source.File, model.Source.Line, $"jurisdiction '{model.Id}': at most 64 country sets, requirement rules, scope rules and licence types are supported") });
        }

        _itemIndex = model.Items.Select((item, i) => (item.Code, i)).ToFrozenDictionary(p => p.Code, p => p.i, StringComparer.Ordinal);
        _epochStarts = ComputeEpochStarts(model);
        _membership = [.. _epochStarts.Select(start => CountryCode.All.Select(c => MembershipBits(model, c, start)).ToArray())];
        _requirementsInForce = [.. _epochStarts.Select(start => InForce(model.Requirements, start))];
        _scopeInForce = [.. _epochStarts.Select(start => InForce(model.Scope, start))];
        _reviewsInForce = [.. _epochStarts.Select(start => InForce(model.Reviews, start))];
        _requirementItems = [.. model.Requirements.Select(r => ItemTable(model, r.Items))];
        _scopeItems = [.. model.Scope.Select(r => ItemTable(model, r.Items))];
        _requirementDestinations = [.. model.Requirements.Select(r => new CompiledDestination(model, r.Destinations))];
        _scopeDestinations = [.. model.Scope.Select(r => new CompiledDestination(model, r.Destinations))];
        _reviewDestinations = [.. model.Reviews.Select(r => new CompiledDestination(model, r.Destinations))];
        _groupMask = Mask(model.Sets.Select((s, i) => (s.IsGroup, i)).Where(p => p.IsGroup).Select(p => p.i));
        _embargoMask = Mask(model.Requirements.Select((r, i) => (r.Kind, i)).Where(p => p.Kind == RequirementKind.Embargo).Select(p => p.i));
        _requirementKindBits = [.. model.Requirements.Select(r => (byte)(1 << (int)r.Kind))];
        _scopeGroundBits = [.. model.Scope.Select(s => s.Grounds.Count == 0 ? (byte)0xFF : (byte)s.Grounds.Aggregate(0, (acc, k) => acc | (1 << (int)k)))];
        _scopeLicence = [.. model.Scope.Select(s => model.Licences.Select(l => l.Id).ToList().IndexOf(s.Licence))];
        _individual = model.Licences.Select(l => l.Id).ToList().IndexOf("individual");
        _itemUnconfirmed = [.. model.Items.Select(i => i.Citation.Unconfirmed)];
    }

    /// <summary>The jurisdiction's model.</summary>
    public Jurisdiction Model { get; }

    /// <summary>The first day of each epoch (a span of dates over which no rule or membership changes).</summary>
    public IReadOnlyList<LocalDate> EpochStarts => _epochStarts;

    /// <summary>Compiles a jurisdiction of a validated content set.</summary>
    public static CompiledJurisdiction Compile(Jurisdiction jurisdiction, string contentVersion) => new(jurisdiction, contentVersion);

    /// <summary>Finds an item by its code within the jurisdiction (e.g. "3(1)").</summary>
    public bool TryFindItem(ReadOnlySpan<char> code, out int item) =>
        _itemIndex.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(code, out item);

    /// <summary>Determines one shipment. Allocates only the first time an outcome is seen.</summary>
    public Determination Evaluate(in ShipmentFacts facts)
    {
        var outcome = Compute(facts);
        return _determinations.TryGetValue(outcome, out var known) ? known : Intern(outcome);
    }

    private Determination Intern(Outcome outcome) =>
        _determinations.GetOrAdd(outcome, o => OutcomeText.Build(Model, _version, o));

    internal Outcome Compute(in ShipmentFacts f)
    {
        var epoch = EpochOf(f.Date);
        var country = f.Destination.Index;
        var members = _membership[epoch][country];
        var groups = members & _groupMask;
        var unconfirmedItem = _itemUnconfirmed[f.Item] ? f.Item : -1;
        if (f.Date < Model.CoverageFrom)
        {
            return new Outcome(Verdict.Indeterminate, 0, 0, 0, 0, MissingFact.Coverage, 0, 0, 0, 0, 0, -1, groups, unconfirmedItem);
        }

        ulong grounds = 0, maybe = 0, byDestination = 0, byCondition = 0;
        var missing = MissingFact.None;
        var requiredKinds = 0;
        foreach (var r in _requirementsInForce[epoch])
        {
            var itemMatch = _requirementItems[r][f.Item];
            if (itemMatch == Match.No)
            {
                continue;
            }

            var bit = 1UL << r;
            if (!_requirementDestinations[r].Covers(country, members))
            {
                byDestination |= bit;
                continue;
            }

            var rule = Model.Requirements[r];
            var needs = MissingFact.None;
            var overall = rule.When.IsNone ? itemMatch : Tri.And(itemMatch, Tri.Condition(rule.When, f, out needs));
            if (overall == Match.Yes)
            {
                grounds |= bit;
                requiredKinds |= _requirementKindBits[r];
            }
            else if (overall == Match.Maybe)
            {
                maybe |= bit;
                missing |= needs | (itemMatch == Match.Maybe ? MissingFact.ItemDetail : MissingFact.None);
            }
            else
            {
                byCondition |= bit;
            }
        }

        var verdict = (grounds & _embargoMask) != 0 ? Verdict.Prohibited
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

        // Per licence type: which rules allow (and whether unconditionally), which deny for sure or perhaps.
        Span<ulong> allows = stackalloc ulong[Model.Licences.Count];
        Span<ulong> conditions = stackalloc ulong[Model.Licences.Count];
        Span<ulong> denies = stackalloc ulong[Model.Licences.Count];
        Span<ulong> maybeDenies = stackalloc ulong[Model.Licences.Count];
        ulong unconditional = 0;
        foreach (var s in _scopeInForce[epoch])
        {
            if (!_scopeDestinations[s].Covers(country, members))
            {
                continue;
            }

            var itemMatch = _scopeItems[s][f.Item];
            var licence = _scopeLicence[s];
            var bit = 1UL << s;
            if (Model.Scope[s].Effect == ScopeEffect.Allow)
            {
                if (itemMatch == Match.Yes && (requiredKinds & ~_scopeGroundBits[s]) == 0)
                {
                    allows[licence] |= bit;
                    if (Model.Scope[s].Condition is null)
                    {
                        unconditional |= 1UL << licence;
                    }
                    else
                    {
                        conditions[licence] |= bit;
                    }
                }
            }
            else if (itemMatch == Match.Yes)
            {
                denies[licence] |= bit;
            }
            else if (itemMatch == Match.Maybe)
            {
                maybeDenies[licence] |= bit;
            }
        }

        ulong eligible = 0, allowing = 0, conditional = 0, denying = 0, denyMaybe = 0;
        for (var l = 0; l < allows.Length; l++)
        {
            if (allows[l] == 0)
            {
                continue;
            }

            if (denies[l] == 0 && maybeDenies[l] == 0)
            {
                eligible |= 1UL << l;
                allowing |= allows[l];
                conditional |= (unconditional & (1UL << l)) != 0 ? 0 : conditions[l];
            }
            else
            {
                denying |= denies[l];
                denyMaybe |= maybeDenies[l];
            }
        }

        var review = -1;
        if (_individual >= 0 && (eligible & (1UL << _individual)) != 0)
        {
            foreach (var v in _reviewsInForce[epoch])
            {
                var rule = Model.Reviews[v];
                if (rule.Licence == "individual" && _reviewDestinations[v].Covers(country, members)
                    && (review < 0 || rule.Days > Model.Reviews[review].Days))
                {
                    review = v;
                }
            }
        }

        return new Outcome(verdict, grounds, maybe, byDestination, byCondition, missing, eligible, allowing, conditional, denying, denyMaybe, review, groups, unconfirmedItem);
    }

    private int EpochOf(LocalDate date)
    {
        int lo = 0, hi = _epochStarts.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) >> 1;
            if (_epochStarts[mid] <= date)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return lo;
    }

    private static LocalDate[] ComputeEpochStarts(Jurisdiction j) =>
        [.. j.ChangeDates().Append(LocalDate.MinIsoValue).Append(j.CoverageFrom).Distinct().Order()];

    private static ulong MembershipBits(Jurisdiction j, CountryCode country, LocalDate date)
    {
        ulong bits = 0;
        for (var s = 0; s < j.Sets.Count; s++)
        {
            if (ReferenceEvaluator.IsMember(j, j.Sets[s].Id, country, date))
            {
                bits |= 1UL << s;
            }
        }

        return bits;
    }

    private static int[] InForce<T>(IReadOnlyList<T> rules, LocalDate date)
        where T : IDatedRule =>
        [.. rules.Select((r, i) => (r, i)).Where(p => ReferenceEvaluator.InForce(p.r.Periods, date)).Select(p => p.i)];

    private static Match[] ItemTable(Jurisdiction j, ItemSelector selector) =>
        [.. j.Items.Select(item => ReferenceEvaluator.ItemMatch(j, selector, item))];

    private static ulong Mask(IEnumerable<int> bits) => bits.Aggregate(0UL, (acc, b) => acc | (1UL << b));

    /// <summary>A destination selector as bit masks over country sets plus a bitmap over countries.</summary>
    private sealed class CompiledDestination
    {
        private readonly bool _any;
        private readonly ulong _sets;
        private readonly ulong _exceptSets;
        private readonly bool[] _countries;
        private readonly bool[] _exceptCountries;

        public CompiledDestination(Jurisdiction j, DestinationSelector selector)
        {
            var setIndex = j.Sets.Select((s, i) => (s.Id, i)).ToDictionary(p => p.Id, p => p.i);
            _any = selector.Any;
            _sets = Mask(selector.Sets.Select(s => setIndex[s]));
            _exceptSets = Mask(selector.ExceptSets.Select(s => setIndex[s]));
            _countries = new bool[CountryCode.Count];
            _exceptCountries = new bool[CountryCode.Count];
            foreach (var c in selector.Countries)
            {
                _countries[c.Index] = true;
            }

            foreach (var c in selector.ExceptCountries)
            {
                _exceptCountries[c.Index] = true;
            }
        }

        public bool Covers(int country, ulong members) =>
            (_any || _countries[country] || (members & _sets) != 0) && !_exceptCountries[country] && (members & _exceptSets) == 0;
    }
}
