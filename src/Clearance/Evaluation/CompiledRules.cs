using System.Collections.Frozen;
using Regex = System.Text.RegularExpressions.Regex;
using RegexOptions = System.Text.RegularExpressions.RegexOptions;
using Clearance.Model;
using NodaTime;

namespace Clearance.Evaluation;

/// <summary>
/// The tables of a <see cref="CompiledJurisdiction"/>: a jurisdiction compiled for fast, allocation-free determination, with no ceiling on the number of sets, rules or
/// licence types. The dates on which anything changes split time into epochs; within one epoch every rule is either in
/// force or not and every set membership is fixed. Set membership is precomputed per (epoch, country) as a bit set of
/// any width (rows shared between epochs where memberships do not change), rules in force per epoch as bit sets, the
/// rules whose destinations cover each (epoch, country) as bit sets, and for each item the rules whose item selector
/// can take it as bit words (only the words that have any). A shipment costs a binary search for its epoch and, per word
/// of its item's candidates, two ANDs that leave the rules in force and covering the destination: only those are read
/// one by one, so the cost grows neither with the rules about other items nor with those for other places and dates.
/// What is decided about each rule is kept as bits too (grounds, undecided, excluded; allows and withdrawals), so that
/// the rules decided by their bits alone (no condition: the Country Chart's columns, most licence exceptions) are never
/// read one by one, an allow's grounds are checked by one AND per word (the rules answering every ground), a withdrawal
/// is read only for licence types some rule allows, and each section of the outcome is written from its bits at once.
/// Equal outcomes share one immutable <see cref="Determination"/>. <see cref="ReferenceEvaluator"/> is the
/// specification it is tested against.
/// </summary>
internal sealed class CompiledRules
{
    private readonly string _version;
    private readonly ExchangeRates _rates;
    private readonly FrozenDictionary<string, int> _itemIndex;
    private readonly Regex? _codePattern;
    private readonly LocalDate[] _epochStarts;
    private readonly int[][] _membershipRows; // [epoch][country] → index into the pools (rows shared between epochs)
    private readonly ulong[][] _memberPool; // → bit per set
    private readonly int[][] _groupPool; // → the group sets, ascending
    private readonly int[][] _unconfirmedMembershipsByCountry; // [country] → its flagged membership records (almost always none), indexed as the outcome names them
    // [record] → the DateKeys [from, to) on which an answer rests on it: the days it is shown on that its set exists.
    private readonly (int From, int To)[] _unconfirmedMembershipDays;
    private readonly ulong[][] _requirementsInForce; // [epoch] → bit per requirement rule
    private readonly ulong[][] _scopeInForce; // [epoch] → bit per scope rule
    private readonly int[][] _individualReview; // [epoch][country] → the review rule of the individual licence (the longest), or -1
    private readonly CandidateWord[][] _requirementsByItem; // [item] → rules whose selector takes it (yes or maybe), as bit words
    private readonly CandidateWord[][] _scopeByItem;
    private readonly ulong[][][] _requirementsCovering; // [epoch][country] → bit per requirement rule whose destinations cover it
    private readonly ulong[][][] _scopeCovering; // [epoch][country] → bit per scope rule whose destinations cover it
    // [epoch][exporting country] → bit per scope rule the exporting country meets (no exported_from: every country);
    // null when no rule names an exporting country. _scopeAnyExporter: the rules without one (exporter not given).
    private readonly ulong[][][]? _scopeExportedFrom;
    private readonly ulong[] _scopeAnyExporter;
    // The same for requirements (744.11(a)(2)(v)(A)(2)-(3) turn on the re-exporting country): a rule whose exporting
    // country is not met is excluded by condition. The exporting country is a fact of the line like its destination, so
    // it reaches the outcome code (and with it every cache keyed by that code) through the rules it excludes.
    private readonly ulong[][][]? _requirementsExportedFrom;
    private readonly ulong[] _requirementsAnyExporter;
    private readonly CompiledDestination? _exporters;
    private readonly CompiledCondition?[] _requirementConditions; // null: unconditional
    private readonly CompiledCondition?[] _scopeConditions;
    private readonly ulong[] _scopeAllowBits; // bit per scope rule that allows (the others withdraw)
    private readonly ulong[] _scopeUnchecked; // bit per scope rule that allows only under a condition the engine cannot check
    private readonly ulong[] _scopeConditional; // bit per scope rule with a fact condition
    private readonly bool[] _gap;
    private readonly int[] _epochKeys; // DateKey of each epoch's first day, ascending
    private readonly int _reviewed; // DateKey of the last review
    private readonly int _listAsOf; // DateKey of the earliest date when the list's text is not dated
    private readonly int _coverageFrom; // DateKey
    private readonly int _requirementWords; // 64-rule words of requirement bits
    private readonly int _scopeWords;
    private readonly int _licenceWords;
    private readonly int _scratchWords; // bit words a determination uses (requirement and scope marks, licence types)
    private readonly ulong[] _plainRequirements; // bit per requirement without condition that is not a gap
    private readonly ulong[] _embargoRequirements; // bit per embargo rule
    private readonly ulong[] _answeredBy; // [requirement × scope words] → bit per scope rule that answers it (by kind or id)
    private readonly ulong[] _scopeRulesOfLicence; // [licence type × scope words] → bit per scope rule of that type
    private readonly int[] _scopeLicense;
    private readonly int _individual;
    private readonly bool[] _itemUnconfirmed;
    private readonly DeterminationCache _determinations = new();
    private readonly bool _incomplete;

    public CompiledRules(Jurisdiction model, string version, ExchangeRates rates)
    {
        Model = model;
        _version = version;
        _rates = rates;
        _incomplete = model.Incomplete is not null;
        _itemIndex = model.Items.Select((item, i) => (item.Code, i)).ToFrozenDictionary(p => p.Code, p => p.i, StringComparer.Ordinal);
        _codePattern = model.CodePattern is null ? null : new Regex($"^(?:{model.CodePattern})$", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        _epochKeys = EpochKeys(model);
        _epochStarts = new LocalDate[_epochKeys.Length];
        for (var e = 0; e < _epochKeys.Length; e++)
        {
            _epochStarts[e] = DateOfKey(_epochKeys[e]);
        }

        (_membershipRows, _memberPool, _groupPool) = Memberships(model, _epochStarts);
        var unconfirmedMemberships = UnconfirmedMembership.Of(model);
        _unconfirmedMembershipsByCountry = new int[CountryCode.Count][];
        for (var c = 0; c < CountryCode.Count; c++)
        {
            var records = new List<int>();
            for (var u = 0; u < unconfirmedMemberships.Count; u++)
            {
                if (unconfirmedMemberships[u].Member.Country.Index == c)
                {
                    records.Add(u);
                }
            }

            _unconfirmedMembershipsByCountry[c] = records.ToArray();
        }

        _unconfirmedMembershipDays = [.. unconfirmedMemberships.Select(u => DaysOf(u.Shown, model.Sets[u.Set].Existence))];
        _requirementsInForce = InForceBits(model.Requirements, _epochStarts);
        _scopeInForce = InForceBits(model.Scope, _epochStarts);

        var items = new ItemTree(model);
        _requirementsByItem = items.CandidateWords(model.Requirements.Select(r => r.Items).ToList());
        _scopeByItem = items.CandidateWords(model.Scope.Select(r => r.Items).ToList());
        var setIndex = model.Sets.Select((s, i) => (s.Id, i)).ToDictionary(p => p.Id, p => p.i);
        _requirementsCovering = CoveringBits([.. model.Requirements.Select(r => new CompiledDestination(setIndex, r.Destinations))], _membershipRows, _memberPool);
        _scopeCovering = CoveringBits([.. model.Scope.Select(r => new CompiledDestination(setIndex, r.Destinations))], _membershipRows, _memberPool);
        _scopeExportedFrom = model.Scope.Any(r => r.ExportedFrom is not null)
            ? CoveringBits([.. model.Scope.Select(r => new CompiledDestination(setIndex, r.ExportedFrom ?? DestinationSelector.All))], _membershipRows, _memberPool)
            : null;
        _scopeAnyExporter = BitsOf(model.Scope.Count, s => model.Scope[s].ExportedFrom is null);
        _requirementsExportedFrom = model.Requirements.Any(r => r.ExportedFrom is not null)
            ? CoveringBits([.. model.Requirements.Select(r => new CompiledDestination(setIndex, r.ExportedFrom ?? DestinationSelector.All))], _membershipRows, _memberPool)
            : null;
        _requirementsAnyExporter = BitsOf(model.Requirements.Count, r => model.Requirements[r].ExportedFrom is null);
        _individualReview = IndividualReviews(model, setIndex, _epochStarts, _membershipRows, _memberPool);
        _exporters = model.ExporterSelector is { } exporters ? new CompiledDestination(setIndex, exporters) : null;
        var facts = model.AllFacts.ToList();
        _requirementConditions = [.. model.Requirements.Select(r => r.When.IsNone ? null : new CompiledCondition(facts, r.When))];
        _scopeConditions = [.. model.Scope.Select(r => r.When.IsNone ? null : new CompiledCondition(facts, r.When))];
        _scopeAllowBits = BitsOf(model.Scope.Count, s => model.Scope[s].Effect == ScopeEffect.Allow);
        _scopeUnchecked = BitsOf(model.Scope.Count, s => model.Scope[s].Condition is not null);
        _scopeConditional = BitsOf(model.Scope.Count, s => !model.Scope[s].When.IsNone);
        _gap = new bool[model.Requirements.Count];
        for (var r = 0; r < _gap.Length; r++)
        {
            _gap[r] = model.Requirements[r].Kind == RequirementKind.Gap;
        }

        _reviewed = DateKey(model.Reviewed ?? LocalDate.MaxIsoValue);
        _listAsOf = DateKey(model.ListAsOf ?? LocalDate.MinIsoValue);
        _coverageFrom = DateKey(model.CoverageFrom);
        var licenceIndex = model.Licenses.Select((l, i) => (l.Id, i)).ToDictionary(p => p.Id, p => p.i);
        _scopeLicense = new int[model.Scope.Count];
        for (var s = 0; s < _scopeLicense.Length; s++)
        {
            _scopeLicense[s] = licenceIndex[model.Scope[s].License];
        }

        _requirementWords = (model.Requirements.Count + 63) >> 6;
        _scopeWords = (model.Scope.Count + 63) >> 6;
        _licenceWords = (model.Licenses.Count + 63) >> 6;
        _scratchWords = (4 * _requirementWords) + (10 * _scopeWords) + (3 * _licenceWords);
        _plainRequirements = BitsOf(model.Requirements.Count, r => model.Requirements[r].When.IsNone && model.Requirements[r].Kind != RequirementKind.Gap);
        _embargoRequirements = BitsOf(model.Requirements.Count, r => model.Requirements[r].Kind == RequirementKind.Embargo);
        // An allow rule that names neither kinds nor requirements answers every ground; else those of its kinds and
        // those it names.
        _answeredBy = Rows(model.Requirements.Count, _scopeWords, r => BitsOf(model.Scope.Count, s =>
            (model.Scope[s].Grounds.Count == 0 && model.Scope[s].GroundRules.Count == 0) || model.Scope[s].Grounds.Contains(model.Requirements[r].Kind) || model.Scope[s].GroundRules.Contains(model.Requirements[r].Id)));
        _scopeRulesOfLicence = Rows(model.Licenses.Count, _scopeWords, l => BitsOf(model.Scope.Count, s => _scopeLicense[s] == l));
        _individual = licenceIndex.GetValueOrDefault(model.IndividualLicense, -1);
        _itemUnconfirmed = new bool[model.Items.Count];
        for (var i = 0; i < _itemUnconfirmed.Length; i++)
        {
            _itemUnconfirmed[i] = model.Items[i].Citation.Unconfirmed;
        }
    }

    /// <summary>The jurisdiction's model.</summary>
    public Jurisdiction Model { get; }

    /// <summary>The first day of each epoch (a span of dates over which no rule or membership changes).</summary>
    public IReadOnlyList<LocalDate> EpochStarts => _epochStarts;

    /// <summary>Finds an item by its code within the jurisdiction (e.g. "3(1)").</summary>
    public bool TryFindItem(ReadOnlySpan<char> code, out int item) =>
        _itemIndex.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(code, out item);

    /// <summary>
    /// Whether <paramref name="code"/> has the form of the regime's classifications while its content is incomplete
    /// (an ECCN before the Commerce Control List is in the content): such a code is recognised, and every
    /// determination names the missing content.
    /// </summary>
    public bool RecognisesCode(string code) => Model.Incomplete is not null && _codePattern is not null && _codePattern.IsMatch(code);

    /// <summary>Whether the regime governs exports from <paramref name="exporter"/> on <paramref name="date"/> (by exporting country).</summary>
    [System.Runtime.CompilerServices.MethodImpl(HotPath.Compile)]
    public bool GovernsExportsFrom(CountryCode exporter, LocalDate date)
    {
        if (_exporters is null)
        {
            return false;
        }

        var row = _membershipRows[EpochOf(DateKey(date))][exporter.Index];
        return _exporters.Covers(exporter.Index, _memberPool[row]);
    }

    /// <summary>Determines one shipment. Allocates only the first time an outcome is seen.</summary>
    public Determination Evaluate(in ShipmentFacts facts)
    {
        var code = Compute(facts, EvaluationScratch.ForThisThread());
        return _determinations.TryGet(code, out var known) ? known : Intern(code);
    }

    private Determination Intern(ReadOnlySpan<int> code)
    {
        return _determinations.GetOrAdd(code, array => OutcomeText.Build(Model, _version, new Outcome(array)));
    }

    /// <summary>
    /// Determines one shipment without its trace (<see cref="CompiledJurisdiction.EvaluateUntraced"/>). The outcome
    /// code is computed as by <see cref="Evaluate"/> and looked up by its untraced key (<see cref="UntracedKeys"/>: the
    /// code without the rules only the trace lists) in a cache of its own whose values are the answers themselves: the
    /// EAR's outcomes of one answer (61,000 codes, 21,000 answers in the mixed benchmark batch) differ mostly in the
    /// rules their trace lists, and here share one key and one determination, so that a writer finds the answer's form
    /// kept with it on every line of every outcome.
    /// </summary>
    public Determination EvaluateUntraced(in ShipmentFacts facts)
    {
        var code = Compute(facts, EvaluationScratch.ForThisThread());
        var untraced = Volatile.Read(ref _untraced) ?? Untraced();
        var key = untraced.Keys.Of(code);
        return untraced.Answers.TryGet(key, out var known) ? known : UntracedMiss(untraced.Answers, key, code);
    }

    /// <summary>A key not seen yet: the answer of the full outcome (a copy of the traced answer's members when a traced caller built it).</summary>
    private Determination UntracedMiss(DeterminationCache answers, ReadOnlySpan<int> key, ReadOnlySpan<int> code)
    {
        // Over a buffer of the thread, and a static builder with its state: the outcome is not copied (Outcome.OnThread),
        // and the answer keeps nothing of it.
        return answers.GetOrAdd(key, static (key, miss) => OutcomeText.BuildUntraced(miss.Model, miss.Version, Outcome.OnThread(miss.Code), key), new UntracedMissState(Model, _version, code));
    }

    /// <summary>What an untraced answer is built from, passed to the cache's static builder.</summary>
    private readonly ref struct UntracedMissState(Jurisdiction model, string version, ReadOnlySpan<int> code)
    {
        public Jurisdiction Model { get; } = model;

        public string Version { get; } = version;

        public ReadOnlySpan<int> Code { get; } = code;
    }

    /// <summary>The cache of untraced answers by untraced key, made when a caller first evaluates without the trace.</summary>
    private UntracedAnswers Untraced()
    {
        Interlocked.CompareExchange(ref _untraced, new UntracedAnswers(new UntracedKeys(Model), new DeterminationCache()), null);
        return Volatile.Read(ref _untraced)!;
    }

    private UntracedAnswers? _untraced;

    /// <summary>The untraced answers by key, and the jurisdiction's keys.</summary>
    private sealed record UntracedAnswers(UntracedKeys Keys, DeterminationCache Answers);

    /// <summary>The outcome, decoded (for tests that compare with the reference evaluator).</summary>
    internal Outcome Compute(in ShipmentFacts f) => new(Compute(f, new EvaluationScratch()).ToArray());

    private ReadOnlySpan<int> Compute(in ShipmentFacts f, EvaluationScratch scratch)
    {
        var date = DateKey(f.Date);
        var epoch = EpochOf(date);
        var country = f.Destination.Index;
        var row = _membershipRows[epoch][country];
        var unconfirmedItem = f.Item >= 0 && _itemUnconfirmed[f.Item] ? f.Item : -1;
        var dateFlags = (date > _reviewed ? DateFlags.PastReview : 0) | (date < _listAsOf ? DateFlags.BeforeListText : 0);
        var stop = _incomplete ? MissingCode.Content
            : f.Item < 0 ? MissingCode.Classification
            : date < _coverageFrom ? MissingCode.Coverage
            : -1;
        var bits = scratch.Start(_scratchWords);
        if (stop >= 0)
        {
            scratch.Header(Verdict.Indeterminate, -1, unconfirmedItem, dateFlags);
            scratch.EmptySections((int)Section.Missing);
            scratch.Section([stop]);
            scratch.EmptySections((int)Section.Groups - (int)Section.Missing - 1);
            scratch.Section(_groupPool[row]);
            UnconfirmedMemberships(country, date, scratch);
            return scratch.Code;
        }

        // Every candidate rule is filed under what was decided about it as a bit of one of four sets (rule r: word
        // r / 64, bit r % 64), so a section is written from its set at once and rules come out in order.
        var words = _requirementWords;
        var marks = bits[..(4 * words)];
        marks.Clear();
        var ground = marks[..words];
        var maybe = marks.Slice(words, words);
        var excludedByDestination = marks.Slice(2 * words, words);
        var excludedByCondition = marks.Slice(3 * words, words);
        var inForce = _requirementsInForce[epoch];
        var covering = _requirementsCovering[epoch][country];
        var exportedFrom = _requirementsExportedFrom is null ? null : f.From is { } exporter ? _requirementsExportedFrom[epoch][exporter.Index] : _requirementsAnyExporter;
        var gap = false;
        foreach (var word in _requirementsByItem[f.Item])
        {
            var live = word.Taken & inForce[word.Index];
            var covered = live & covering[word.Index];
            excludedByDestination[word.Index] = live & ~covered;
            if (exportedFrom is not null)
            {
                // Covering the destination but made from a country the rule does not name: excluded by condition.
                excludedByCondition[word.Index] = covered & ~exportedFrom[word.Index];
                covered &= exportedFrom[word.Index];
            }

            // Rules without a condition that are not gaps (the Country Chart's columns, most list rules) are decided
            // by their item match alone: a ground, or undecided on the item's detail. Only the others are read one by one.
            var plain = covered & _plainRequirements[word.Index];
            ground[word.Index] = plain & ~word.Maybe;
            maybe[word.Index] = plain & word.Maybe;
            if ((plain & word.Maybe) != 0)
            {
                scratch.AddMissing(MissingCode.ItemDetail);
            }

            for (var others = covered & ~plain; others != 0; others &= others - 1)
            {
                var r = word.Rule(others);
                var bit = others & (~others + 1);
                var itemMatch = (word.Maybe & bit) != 0 ? Match.Maybe : Match.Yes;
                var missingBefore = scratch.MissingCount;
                var conditionMatch = _requirementConditions[r] is { } condition ? condition.Evaluate(f, _rates, scratch) : Match.Yes;
                var overall = Tri.And(itemMatch, conditionMatch);
                if (_gap[r] && overall != Match.No)
                {
                    // Not covered by the content: never a ground, always undecided, naming the gap.
                    if (conditionMatch != Match.Maybe)
                    {
                        scratch.TruncateMissing(missingBefore);
                    }

                    maybe[word.Index] |= bit;
                    scratch.AddMissing(MissingCode.Gap(r));
                    gap |= overall == Match.Yes;
                    if (itemMatch == Match.Maybe)
                    {
                        scratch.AddMissing(MissingCode.ItemDetail);
                    }
                }
                else if (overall == Match.Yes)
                {
                    ground[word.Index] |= bit;
                    scratch.TruncateMissing(missingBefore);
                }
                else if (overall == Match.Maybe)
                {
                    maybe[word.Index] |= bit;
                    if (itemMatch == Match.Maybe)
                    {
                        scratch.AddMissing(MissingCode.ItemDetail);
                    }
                }
                else
                {
                    excludedByCondition[word.Index] |= bit;
                    scratch.TruncateMissing(missingBefore);
                }
            }
        }

        var anyGround = 0UL;
        var anyMaybe = 0UL;
        var prohibited = 0UL;
        for (var w = 0; w < words; w++)
        {
            anyGround |= ground[w];
            anyMaybe |= maybe[w];
            prohibited |= ground[w] & _embargoRequirements[w];
        }

        var verdict = prohibited != 0 ? Verdict.Prohibited
            : gap ? Verdict.Indeterminate
            : anyGround != 0 ? Verdict.LicenseRequired
            : anyMaybe != 0 ? Verdict.Indeterminate
            : Verdict.NoLicenseRequired;
        scratch.Header(verdict, -1, unconfirmedItem, dateFlags);
        scratch.SectionOfBits(ground);
        scratch.SectionOfBits(maybe);
        scratch.SectionOfBits(excludedByDestination);
        scratch.SectionOfBits(excludedByCondition);
        scratch.Section(verdict == Verdict.Indeterminate ? scratch.SortedMissing() : []);
        if (verdict != Verdict.LicenseRequired)
        {
            scratch.EmptySections((int)Section.Groups - (int)Section.Eligible);
        }
        else
        {
            var review = Licenses(f, epoch, country, ground, bits[(4 * words)..], scratch);
            scratch.Patch(1, review);
        }

        scratch.Section(_groupPool[row]);
        UnconfirmedMemberships(country, date, scratch);
        return scratch.Code;
    }

    /// <summary>
    /// Writes the last section: the destination's unconfirmed membership records the answer rests on on the date (its
    /// <see cref="DateKey"/>). The same as <see cref="UnconfirmedMembership.Concerns"/>, on days precomputed as keys:
    /// comparing <see cref="LocalDate"/>s checks their calendars each time.
    /// </summary>
    private void UnconfirmedMemberships(int country, int date, EvaluationScratch scratch)
    {
        var records = _unconfirmedMembershipsByCountry[country];
        if (records.Length == 0)
        {
            scratch.EmptySections(1);
            return;
        }

        var countAt = scratch.Open();
        foreach (var u in records)
        {
            var (from, to) = _unconfirmedMembershipDays[u];
            if (date >= from && date < to)
            {
                scratch.Member(countAt, u);
            }
        }
    }

    /// <summary>The DateKeys [from, to) of the days two periods share (from = to when none).</summary>
    private static (int From, int To) DaysOf(Period shown, Period existence)
    {
        var from = Math.Max(DateKey(shown.From), DateKey(existence.From));
        var to = Math.Min(shown.To is { } shownTo ? DateKey(shownTo) : int.MaxValue, existence.To is { } existenceTo ? DateKey(existenceTo) : int.MaxValue);
        return (from, Math.Max(from, to));
    }

    /// <summary>
    /// Writes the licence sections (eligible to deny-by-sub-item) and returns the review rule. Scope rules are filed as
    /// bits like requirements; licence types are bits too, and each type's rules a precomputed bit set, so the sections
    /// that keep only the rules of eligible (or allowed) types are one AND per word.
    /// </summary>
    private int Licenses(in ShipmentFacts f, int epoch, int country, ReadOnlySpan<ulong> ground, Span<ulong> bits, EvaluationScratch scratch)
    {
        var words = _scopeWords;
        var licenceWords = _licenceWords;
        bits = bits[..((10 * words) + (3 * licenceWords))];
        bits.Clear();
        var allow = bits[..words];
        var allowConditional = bits.Slice(words, words);
        var allowMaybe = bits.Slice(2 * words, words);
        var deny = bits.Slice(3 * words, words);
        var denyMaybe = bits.Slice(4 * words, words);
        var denySubItem = bits.Slice(5 * words, words);
        var allowedRules = bits.Slice(6 * words, words); // rules of licence types some rule allows
        var eligibleRules = bits.Slice(7 * words, words); // rules of eligible licence types
        var onlyConditionalRules = bits.Slice(8 * words, words); // rules of eligible types no rule allows unconditionally
        var allowed = bits.Slice(9 * words, licenceWords); // licence types allowed under a condition (unchecked, or a fact not given)
        var unconditional = bits.Slice((9 * words) + licenceWords, licenceWords);
        var withdrawn = bits.Slice((9 * words) + (2 * licenceWords), licenceWords);
        var answering = bits.Slice((9 * words) + (3 * licenceWords), words); // allow rules that answer every ground

        // An allow applies only if it answers every ground (by kind or by naming the requirement): the rules that do
        // are the AND, over the grounds (one, most often), of the rules that answer each.
        answering.Fill(ulong.MaxValue);
        for (var w = 0; w < ground.Length; w++)
        {
            for (var grounds = ground[w]; grounds != 0; grounds &= grounds - 1)
            {
                var answeredBy = _answeredBy.AsSpan(((w << 6) + System.Numerics.BitOperations.TrailingZeroCount(grounds)) * words, words);
                for (var a = 0; a < words; a++)
                {
                    answering[a] &= answeredBy[a];
                }
            }
        }

        var inForce = _scopeInForce[epoch];
        var covering = _scopeCovering[epoch][country];
        var exportedFrom = _scopeExportedFrom is null ? null : f.From is { } exporter ? _scopeExportedFrom[epoch][exporter.Index] : _scopeAnyExporter;
        var candidates = _scopeByItem[f.Item];

        // Allows first: a withdrawal matters only for a licence type some rule allows (it is reported, and makes the
        // type ineligible, only then), so a deny rule for any other type is not read at all. An allow of an item taken
        // only perhaps does not apply.
        foreach (var word in candidates)
        {
            var live = word.Taken & ~word.Maybe & inForce[word.Index] & covering[word.Index] & _scopeAllowBits[word.Index] & answering[word.Index];
            if (exportedFrom is not null)
            {
                live &= exportedFrom[word.Index];
            }

            // Allows without a fact condition (most) are decided by their bits; the others are read one by one.
            var plain = live & ~_scopeConditional[word.Index];
            allow[word.Index] = plain & ~_scopeUnchecked[word.Index];
            allowConditional[word.Index] = plain & _scopeUnchecked[word.Index];
            for (var conditional = live & _scopeConditional[word.Index]; conditional != 0; conditional &= conditional - 1)
            {
                var condition = ScopeCondition(word.Rule(conditional), f, scratch);
                var bit = conditional & (~conditional + 1);
                if (condition == Match.Maybe)
                {
                    allowMaybe[word.Index] |= bit;
                }
                else if (condition == Match.Yes)
                {
                    ref var into = ref (_scopeUnchecked[word.Index] & bit) != 0 ? ref allowConditional[word.Index] : ref allow[word.Index];
                    into |= bit;
                }
            }

            for (var rules = allow[word.Index]; rules != 0; rules &= rules - 1)
            {
                var licence = _scopeLicense[word.Rule(rules)];
                unconditional[licence >> 6] |= 1UL << (licence & 63);
            }

            for (var rules = allowConditional[word.Index] | allowMaybe[word.Index]; rules != 0; rules &= rules - 1)
            {
                var licence = _scopeLicense[word.Rule(rules)];
                allowed[licence >> 6] |= 1UL << (licence & 63);
            }
        }

        for (var w = 0; w < licenceWords; w++)
        {
            for (var types = allowed[w] | unconditional[w]; types != 0; types &= types - 1)
            {
                Or(allowedRules, LicenceRules((w << 6) + System.Numerics.BitOperations.TrailingZeroCount(types)));
            }
        }

        foreach (var word in candidates)
        {
            var live = word.Taken & inForce[word.Index] & covering[word.Index] & ~_scopeAllowBits[word.Index] & allowedRules[word.Index];
            if (exportedFrom is not null)
            {
                live &= exportedFrom[word.Index];
            }

            for (; live != 0; live &= live - 1)
            {
                var s = word.Rule(live);
                var bit = live & (~live + 1);
                var itemMatch = (word.Maybe & bit) != 0 ? Match.Maybe : Match.Yes;
                var condition = ScopeCondition(s, f, scratch);
                var overall = Tri.And(itemMatch, condition);
                if (overall == Match.No)
                {
                    continue;
                }

                // A whole item whose sub-items the rule names (item maybe, condition holds): depends on the sub-item.
                if (overall == Match.Yes)
                {
                    deny[word.Index] |= bit;
                }
                else if (itemMatch == Match.Maybe && condition == Match.Yes)
                {
                    denySubItem[word.Index] |= bit;
                }
                else
                {
                    denyMaybe[word.Index] |= bit;
                }

                var licence = _scopeLicense[s];
                withdrawn[licence >> 6] |= 1UL << (licence & 63);
            }
        }

        for (var w = 0; w < licenceWords; w++)
        {
            var eligible = (allowed[w] | unconditional[w]) & ~withdrawn[w];
            for (var types = eligible; types != 0; types &= types - 1)
            {
                Or(eligibleRules, LicenceRules((w << 6) + System.Numerics.BitOperations.TrailingZeroCount(types)));
            }

            for (var types = eligible & ~unconditional[w]; types != 0; types &= types - 1)
            {
                Or(onlyConditionalRules, LicenceRules((w << 6) + System.Numerics.BitOperations.TrailingZeroCount(types)));
            }

            // The eligible types are written into "withdrawn", no longer needed, as the Eligible section's set.
            withdrawn[w] = eligible;
        }

        scratch.SectionOfBits(withdrawn);

        // Allowing: both kinds of allow, in rule order, of eligible licence types; then conditional allows and allows
        // on a fact not given of eligible types no rule allows unconditionally; then withdrawals of allowed types (a
        // withdrawal is read only for those, above).
        for (var w = 0; w < words; w++)
        {
            allowMaybe[w] &= onlyConditionalRules[w];
            allow[w] = (allow[w] | allowConditional[w]) & eligibleRules[w];
            allowConditional[w] &= onlyConditionalRules[w];
        }

        scratch.SectionOfBits(allow);
        scratch.SectionOfBits(allowConditional);
        scratch.SectionOfBits(allowMaybe);
        scratch.SectionOfBits(deny);
        scratch.SectionOfBits(denyMaybe);
        if (scratch.SectionOfBits(denySubItem) > 0)
        {
            scratch.Patch(Outcome.SubjectItemAt, f.Item);
        }

        return _individual >= 0 && (withdrawn[_individual >> 6] & (1UL << (_individual & 63))) != 0 ? _individualReview[epoch][country] : -1;
    }

    /// <summary>The scope rules of licence type <paramref name="licence"/>, as bits.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<ulong> LicenceRules(int licence) => _scopeRulesOfLicence.AsSpan(licence * _scopeWords, _scopeWords);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static void Or(Span<ulong> into, ReadOnlySpan<ulong> bits)
    {
        for (var w = 0; w < into.Length; w++)
        {
            into[w] |= bits[w];
        }
    }

    /// <summary>What scope rule <paramref name="s"/>'s condition decides; its missing facts are not kept (a licence's conditions are named, not its facts).</summary>
    private Match ScopeCondition(int s, in ShipmentFacts f, EvaluationScratch scratch)
    {
        if (_scopeConditions[s] is not { } when)
        {
            return Match.Yes;
        }

        var missingBefore = scratch.MissingCount;
        var condition = when.Evaluate(f, _rates, scratch);
        scratch.TruncateMissing(missingBefore);
        return condition;
    }

    /// <summary>
    /// The <paramref name="count"/> rows of <paramref name="words"/> words each, one after the other (a copy loop rather than
    /// LINQ's SelectMany over ulong, whose code is compiled at run time: EpochKeys).
    /// </summary>
    private static ulong[] Rows(int count, int words, Func<int, ulong[]> row)
    {
        var rows = new ulong[count * words];
        for (var i = 0; i < count; i++)
        {
            row(i).CopyTo(rows, i * words);
        }

        return rows;
    }

    /// <summary>A bit set of <paramref name="count"/> indexes with the bits of those that <paramref name="holds"/>.</summary>
    private static ulong[] BitsOf(int count, Func<int, bool> holds)
    {
        var bits = new ulong[(count + 63) >> 6];
        for (var i = 0; i < count; i++)
        {
            if (holds(i))
            {
                bits[i >> 6] |= 1UL << (i & 63);
            }
        }

        return bits;
    }

    private static bool IsSet(ulong[] bits, int index) => (bits[index >> 6] & (1UL << (index & 63))) != 0;

    /// <summary>
    /// A date as one integer in date order (year, month and day in bit fields), for the comparisons every line makes:
    /// comparing <see cref="LocalDate"/>s checks their calendars each time, and the epoch search makes several.
    /// </summary>
    private static int DateKey(LocalDate date) => (date.Year << 9) | (date.Month << 5) | date.Day;

    private static LocalDate DateOfKey(int key) => new(key >> 9, (key >> 5) & 15, key & 31);

    /// <summary>
    /// The <see cref="DateKey"/> of each epoch's first day, ascending: <see cref="LocalDate.MinIsoValue"/>, the coverage's
    /// start and every <see cref="Jurisdiction.ChangeDates"/> (which is the reference: <c>EpochKeys_EveryJurisdiction_AsChangeDates</c>).
    /// Loops over int keys rather than LINQ over dates: the ReadyToRun code of LINQ's iterators over <see cref="LocalDate"/>
    /// and <see cref="Period"/> is not used at run time, so each command that compiled a jurisdiction compiled them first
    /// (docs/benchmarks.md, recheck-cold23).
    /// </summary>
    internal static int[] EpochKeys(Jurisdiction model)
    {
        var keys = new List<int> { DateKey(LocalDate.MinIsoValue), DateKey(model.CoverageFrom) };
        void Add(Period period)
        {
            keys.Add(DateKey(period.From));
            if (period.To is { } to)
            {
                keys.Add(DateKey(to));
            }
        }

        // The dated rules as the reference lists them (requirements, scope, reviews): enumerables of references, whose
        // code is precompiled.
        foreach (var rule in model.DatedRules)
        {
            var periods = rule.Periods;
            for (var i = 0; i < periods.Count; i++)
            {
                Add(periods[i]);
            }
        }

        foreach (var set in model.Sets)
        {
            for (var m = 0; m < set.Members.Count; m++)
            {
                Add(set.Members[m].Period);
            }

            Add(set.Existence);
        }

        var sorted = keys.ToArray();
        Array.Sort(sorted);
        var count = 0;
        for (var i = 0; i < sorted.Length; i++)
        {
            if (count == 0 || sorted[i] != sorted[count - 1])
            {
                sorted[count++] = sorted[i];
            }
        }

        return sorted[..count];
    }

    /// <summary>The epoch of a date (its <see cref="DateKey"/>): a binary search without branches on the comparisons, which a random mix of dates would mispredict.</summary>
    private int EpochOf(int date)
    {
        var keys = _epochKeys;
        var low = 0;
        for (var length = keys.Length; length > 1;)
        {
            var half = length >> 1;
            low = keys[low + half] <= date ? low + half : low;
            length -= half;
        }

        return low;
    }

    /// <summary>
    /// The rules in force in each epoch, as bit sets: a sweep over the dates on which rules start and stop, each epoch
    /// a copy of the previous one with that day's changes (a rule's periods never overlap, so a change is a toggle).
    /// </summary>
    private static ulong[][] InForceBits<T>(IReadOnlyList<T> rules, LocalDate[] epochStarts)
        where T : IDatedRule
    {
        // The rules toggled on each day (by its DateKey), in rule order: a dictionary over int keys rather than a lookup over
        // dates, whose LINQ would be compiled at run time (EpochKeys).
        var toggles = new Dictionary<int, List<int>>();
        void Toggle(LocalDate day, int rule)
        {
            var key = DateKey(day);
            if (!toggles.TryGetValue(key, out var onDay))
            {
                toggles[key] = onDay = [];
            }

            onDay.Add(rule);
        }

        for (var i = 0; i < rules.Count; i++)
        {
            var periods = rules[i].Periods;
            for (var p = 0; p < periods.Count; p++)
            {
                Toggle(periods[p].From, i);
                if (periods[p].To is { } to)
                {
                    Toggle(to, i);
                }
            }
        }

        var words = (rules.Count + 63) >> 6;
        var result = new ulong[epochStarts.Length][];
        for (var e = 0; e < epochStarts.Length; e++)
        {
            var bits = e == 0 ? new ulong[words] : (ulong[])result[e - 1].Clone();
            if (toggles.TryGetValue(DateKey(epochStarts[e]), out var onDay))
            {
                foreach (var rule in onDay)
                {
                    bits[rule >> 6] ^= 1UL << (rule & 63);
                }
            }

            result[e] = bits;
        }

        return result;
    }

    /// <summary>
    /// The review rule of the individual licence for every (epoch, country): of the rules in force whose destinations
    /// cover the country, the one with the longest period (the first of equals), or -1. Epochs whose membership rows
    /// are the previous epoch's and whose rules in force are the same share its array.
    /// </summary>
    private static int[][] IndividualReviews(Jurisdiction model, Dictionary<string, int> setIndex, LocalDate[] epochStarts, int[][] membershipRows, ulong[][] memberPool)
    {
        var destinations = model.Reviews.Select(r => new CompiledDestination(setIndex, r.Destinations)).ToArray();
        var result = new int[epochStarts.Length][];
        int[]? previousInForce = null;
        for (var e = 0; e < epochStarts.Length; e++)
        {
            var start = epochStarts[e];
            var inForce = Enumerable.Range(0, model.Reviews.Count)
                .Where(v => model.Reviews[v].License == model.IndividualLicense && ReferenceEvaluator.InForce(model.Reviews[v].Periods, start)).ToArray();
            if (e > 0 && ReferenceEquals(membershipRows[e], membershipRows[e - 1]) && inForce.SequenceEqual(previousInForce!))
            {
                result[e] = result[e - 1];
                continue;
            }

            previousInForce = inForce;
            result[e] = new int[CountryCode.Count];
            for (var c = 0; c < CountryCode.Count; c++)
            {
                var review = -1;
                foreach (var v in inForce)
                {
                    if (destinations[v].Covers(c, memberPool[membershipRows[e][c]]) && (review < 0 || model.Reviews[v].Days > model.Reviews[review].Days))
                    {
                        review = v;
                    }
                }

                result[e][c] = review;
            }
        }

        return result;
    }

    /// <summary>
    /// Set membership for every (epoch, country). Memberships change on fewer dates than rules, and each change concerns
    /// one or two countries, so an epoch shares the previous epoch's row unless a membership changes on its first day,
    /// and then only the countries concerned are computed again; equal bit sets (most countries are in the same few
    /// sets) share one pool entry.
    /// </summary>
    private static (int[][] Rows, ulong[][] Pool, int[][] Groups) Memberships(Jurisdiction j, LocalDate[] epochStarts)
    {
        var order = TopologicalOrder(j);
        var setIndex = j.Sets.Select((s, i) => (s.Id, i)).ToDictionary(p => p.Id, p => p.i);
        var of = j.Sets.Select(s => s.Of.Select(o => setIndex[o]).ToArray()).ToArray();
        // Loops over int keys and indexes rather than LINQ lookups over dates and periods, whose code would be compiled at
        // run time (EpochKeys). Each country's memberships (indexes into memberSets and memberPeriods), in set and member
        // order; the countries whose membership changes on a day (by its DateKey), each once, in the order first met; the
        // days (DateKey) on which a set comes into or goes out of existence, which changes every country's row.
        var memberCount = 0;
        foreach (var set in j.Sets)
        {
            memberCount += set.Members.Count;
        }

        var memberSets = new int[memberCount];
        var memberPeriods = new Period[memberCount];
        var byCountry = new List<int>?[CountryCode.Count];
        var changedOn = new Dictionary<int, List<int>>();
        var existenceChanges = new HashSet<int>();
        void Changed(LocalDate day, int country)
        {
            var key = DateKey(day);
            if (!changedOn.TryGetValue(key, out var countries))
            {
                changedOn[key] = countries = [];
            }

            if (!countries.Contains(country))
            {
                countries.Add(country);
            }
        }

        for (int s = 0, n = 0; s < j.Sets.Count; s++)
        {
            var members = j.Sets[s].Members;
            for (var m = 0; m < members.Count; m++, n++)
            {
                var (country, period) = (members[m].Country.Index, members[m].Period);
                (memberSets[n], memberPeriods[n]) = (s, period);
                (byCountry[country] ??= []).Add(n);
                Changed(period.From, country);
                if (period.To is { } to)
                {
                    Changed(to, country);
                }
            }

            var existence = j.Sets[s].Existence;
            if (existence.From != LocalDate.MinIsoValue)
            {
                existenceChanges.Add(DateKey(existence.From));
            }

            if (existence.To is { } end && end != LocalDate.MinIsoValue)
            {
                existenceChanges.Add(DateKey(end));
            }
        }

        var words = (j.Sets.Count + 63) >> 6;
        var pool = new List<ulong[]>();
        var poolIndex = new Dictionary<string, int>(StringComparer.Ordinal);

        int Row(int country, LocalDate date)
        {
            var bits = new ulong[words];
            if (byCountry[country] is { } memberships)
            {
                foreach (var n in memberships)
                {
                    var set = memberSets[n];
                    if (memberPeriods[n].Contains(date) && j.Sets[set].Existence.Contains(date))
                    {
                        bits[set >> 6] |= 1UL << (set & 63);
                    }
                }
            }

            foreach (var s in order)
            {
                var set = j.Sets[s];
                if (set.Kind != CountrySetKind.Explicit && set.Existence.Contains(date) && (set.Kind == CountrySetKind.Union) == of[s].Any(o => IsSet(bits, o)))
                {
                    bits[s >> 6] |= 1UL << (s & 63);
                }
            }

            var key = string.Join(',', bits);
            if (!poolIndex.TryGetValue(key, out var index))
            {
                poolIndex[key] = index = pool.Count;
                pool.Add(bits);
            }

            return index;
        }

        var rows = new int[epochStarts.Length][];
        for (var e = 0; e < epochStarts.Length; e++)
        {
            var date = epochStarts[e];
            if (e == 0 || existenceChanges.Contains(DateKey(date)))
            {
                rows[e] = new int[CountryCode.Count];
                for (var c = 0; c < CountryCode.Count; c++)
                {
                    rows[e][c] = Row(c, date);
                }
            }
            else if (changedOn.TryGetValue(DateKey(date), out var countries))
            {
                rows[e] = (int[])rows[e - 1].Clone();
                foreach (var c in countries)
                {
                    rows[e][c] = Row(c, date);
                }
            }
            else
            {
                rows[e] = rows[e - 1];
            }
        }

        var groups = pool.Select(bits => Enumerable.Range(0, j.Sets.Count).Where(s => j.Sets[s].IsGroup && IsSet(bits, s)).ToArray()).ToArray();
        return (rows, [.. pool], groups);
    }

    /// <summary>Sets ordered so that every set comes after the sets it is defined from (the validator refuses cycles).</summary>
    private static List<int> TopologicalOrder(Jurisdiction j)
    {
        var setIndex = j.Sets.Select((s, i) => (s.Id, i)).ToDictionary(p => p.Id, p => p.i);
        var order = new List<int>();
        var state = new byte[j.Sets.Count];
        void Visit(int s)
        {
            if (state[s] != 0)
            {
                return;
            }

            state[s] = 1;
            foreach (var o in j.Sets[s].Of)
            {
                Visit(setIndex[o]);
            }

            state[s] = 2;
            order.Add(s);
        }

        for (var s = 0; s < j.Sets.Count; s++)
        {
            Visit(s);
        }

        return order;
    }

    /// <summary>
    /// The rules whose destinations cover each country in each epoch, as bit sets. Coverage changes only with a
    /// country's membership row, so an epoch whose rows are the previous epoch's shares its array, a row is computed
    /// once per (country, row), and equal bit sets (most countries are covered by the same rules) share one instance.
    /// </summary>
    private static ulong[][][] CoveringBits(CompiledDestination[] destinations, int[][] membershipRows, ulong[][] memberPool)
    {
        var words = (destinations.Length + 63) >> 6;
        var byRow = new Dictionary<(int Country, int Row), ulong[]>();
        var shared = new Dictionary<string, ulong[]>(StringComparer.Ordinal);
        var result = new ulong[membershipRows.Length][][];
        for (var e = 0; e < membershipRows.Length; e++)
        {
            if (e > 0 && ReferenceEquals(membershipRows[e], membershipRows[e - 1]))
            {
                result[e] = result[e - 1];
                continue;
            }

            result[e] = new ulong[CountryCode.Count][];
            for (var c = 0; c < CountryCode.Count; c++)
            {
                var row = membershipRows[e][c];
                if (!byRow.TryGetValue((c, row), out var bits))
                {
                    bits = new ulong[words];
                    for (var r = 0; r < destinations.Length; r++)
                    {
                        if (destinations[r].Covers(c, memberPool[row]))
                        {
                            bits[r >> 6] |= 1UL << (r & 63);
                        }
                    }

                    var key = string.Join(',', bits);
                    if (!shared.TryGetValue(key, out var same))
                    {
                        shared[key] = same = bits;
                    }

                    byRow[(c, row)] = bits = same;
                }

                result[e][c] = bits;
            }
        }

        return result;
    }

    /// <summary>
    /// One 64-rule word of the rules that may concern an item: those whose selector takes it (yes or maybe), and of
    /// these the ones that take it only perhaps (the item is a parent of the entries the rule names).
    /// </summary>
    private readonly record struct CandidateWord(int Index, ulong Taken, ulong Maybe)
    {
        /// <summary>The rule of the lowest bit set in <paramref name="bits"/> (a subset of this word's).</summary>
        public int Rule(ulong bits) => (Index << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits);
    }

    /// <summary>The control list as a tree, to compute which items each selector takes (yes) or may take (maybe).</summary>
    private sealed class ItemTree
    {
        private readonly Jurisdiction _j;
        private readonly int[] _parent;
        private readonly List<int>[] _children;
        private readonly IReadOnlyDictionary<string, IReadOnlyList<string>>[] _attributes;
        private readonly Dictionary<string, int> _index;
        private readonly int _entryWords; // 64-entry words of a row of bits over the entries
        private readonly Dictionary<string, Dictionary<string, ulong[]>> _holders; // [attribute][value] → bit per entry whose inherited attributes hold it

        public ItemTree(Jurisdiction j)
        {
            _j = j;
            _index = j.Items.Select((item, i) => (item.Code, i)).ToDictionary(p => p.Code, p => p.i, StringComparer.Ordinal);
            _parent = [.. j.Items.Select(i => i.Parent is null ? -1 : _index[i.Parent])];
            _children = [.. j.Items.Select(_ => new List<int>())];
            for (var i = 0; i < _parent.Length; i++)
            {
                if (_parent[i] >= 0)
                {
                    _children[_parent[i]].Add(i);
                }
            }

            // Inherited attributes from the parent array, each entry's once (Jurisdiction.AttributesOf, which the
            // reference evaluator uses, looks every ancestor up by code: quadratic in the list's size).
            _attributes = new IReadOnlyDictionary<string, IReadOnlyList<string>>[j.Items.Count];
            for (var i = 0; i < _attributes.Length; i++)
            {
                Inherited(i);
            }

            // Which entries hold each attribute's value, as bits, so that a rule's where is a few ORs and ANDs of rows
            // (Holding) rather than a lookup of its attributes in every entry it takes: the EAR's Country Chart rules
            // take every entry by its reasons for control, 115 rules by 2,890 entries at the first US line.
            _entryWords = (j.Items.Count + 63) >> 6;
            _holders = new Dictionary<string, Dictionary<string, ulong[]>>(StringComparer.Ordinal);
            for (var i = 0; i < _attributes.Length; i++)
            {
                foreach (var (key, values) in _attributes[i])
                {
                    if (!_holders.TryGetValue(key, out var byValue))
                    {
                        _holders[key] = byValue = new Dictionary<string, ulong[]>(StringComparer.Ordinal);
                    }

                    foreach (var value in values)
                    {
                        if (!byValue.TryGetValue(value, out var bits))
                        {
                            byValue[value] = bits = new ulong[_entryWords];
                        }

                        bits[i >> 6] |= 1UL << (i & 63);
                    }
                }
            }
        }

        private IReadOnlyDictionary<string, IReadOnlyList<string>> Inherited(int item)
        {
            if (_attributes[item] is { } known)
            {
                return known;
            }

            var own = _j.Items[item].Attributes;
            if (_parent[item] < 0)
            {
                return _attributes[item] = own;
            }

            // The parent's, less what the entry does not inherit, then its own (Jurisdiction.AttributesOf's order).
            var merged = Inherited(_parent[item]).ToDictionary(p => p.Key, p => p.Value.ToList(), StringComparer.Ordinal);
            foreach (var (key, values) in _j.Items[item].NotInherited)
            {
                if (merged.TryGetValue(key, out var list))
                {
                    list.RemoveAll(values.Contains);
                }
            }

            foreach (var (key, values) in own)
            {
                if (!merged.TryGetValue(key, out var list))
                {
                    merged[key] = list = [];
                }

                list.AddRange(values.Where(v => !list.Contains(v)));
            }

            return _attributes[item] = merged.Where(p => p.Value.Count > 0).ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.Ordinal);
        }

        /// <summary>Per item, the words of candidate rules that have any; equal lists share one array.</summary>
        public CandidateWord[][] CandidateWords(IReadOnlyList<ItemSelector> selectors)
        {
            var words = (selectors.Count + 63) >> 6;
            var (taken, maybe) = Candidates(selectors, words);
            var shared = new Dictionary<CandidateWord[], CandidateWord[]>(SameWords.Instance);
            var result = new CandidateWord[_j.Items.Count][];
            var row = new CandidateWord[words];
            for (var i = 0; i < result.Length; i++)
            {
                var count = 0;
                for (var w = 0; w < words; w++)
                {
                    if (taken[(i * words) + w] is var bits and not 0)
                    {
                        row[count++] = new CandidateWord(w, bits, maybe[(i * words) + w]);
                    }
                }

                var item = row.AsSpan(0, count).ToArray();
                if (!shared.TryGetValue(item, out var same))
                {
                    shared.Add(item, same = item);
                }

                result[i] = same;
            }

            return result;
        }

        /// <summary>
        /// Per item (row of <paramref name="words"/> words), the rules that take it or may take it ("taken") and, of
        /// those, the rules that take it only maybe. Loops over arrays: this runs once per process at the first line of
        /// the regime (the EAR: thousands of items by hundreds of rules), mostly before the JIT has optimised it.
        /// </summary>
        private (ulong[] Taken, ulong[] Maybe) Candidates(IReadOnlyList<ItemSelector> selectors, int words)
        {
            var n = _j.Items.Count;
            var takenBits = new ulong[n * words];
            var maybeBits = new ulong[n * words];
            var takes = new bool[n];
            var maybe = new bool[n];
            var partly = new bool[n];
            var excepted = new bool[n];
            var taken = new List<int>(n);
            var stack = new List<int>();
            var listed = Listed();
            for (var r = 0; r < selectors.Count; r++)
            {
                Array.Clear(takes);
                Array.Clear(maybe);
                var selector = selectors[r];
                taken.Clear();
                if (selector.Any || selector.Listed)
                {
                    for (var i = 0; i < n; i++)
                    {
                        if (selector.Any || listed[i])
                        {
                            taken.Add(i);
                        }
                    }
                }
                else
                {
                    // Each code with every entry below it (a code listed under another listed one is taken twice: the same sets).
                    Below(selector.Codes, stack, taken.Add);
                }

                Array.Clear(excepted);
                Below(selector.Except, stack, i => excepted[i] = true);
                var holding = Holding(selector.Where);
                foreach (var i in taken)
                {
                    takes[i] |= IsSet(holding, i) && !excepted[i];
                }

                foreach (var i in taken)
                {
                    if (takes[i])
                    {
                        for (var up = _parent[i]; up >= 0 && !maybe[up]; up = _parent[up])
                        {
                            maybe[up] = true;
                        }
                    }
                }

                // An entry that does not inherit the value the rule selects by (0A617.y under 0A617's NS1), or that the
                // rule excepts (5A992.c), leaves the entries above it that the rule takes only partly taken: given whole,
                // they are rows whose sub-items differ.
                Array.Clear(partly);
                foreach (var i in taken)
                {
                    if (!takes[i] && (_j.Items[i].NotInherited.Count > 0 || excepted[i]))
                    {
                        for (var up = _parent[i]; up >= 0 && takes[up] && !partly[up]; up = _parent[up])
                        {
                            partly[up] = true;
                        }
                    }
                }

                var word = r >> 6;
                var bit = 1UL << (r & 63);
                for (var i = 0; i < n; i++)
                {
                    if (takes[i] || maybe[i])
                    {
                        takenBits[(i * words) + word] |= bit;
                        if (!takes[i] || partly[i])
                        {
                            maybeBits[(i * words) + word] |= bit; // Match.Maybe; taken whole is Match.Yes
                        }
                    }
                }
            }

            return (takenBits, maybeBits);
        }

        /// <summary>Whether each entry is on the control list: neither a catch-all scope nor below one (ItemSelector.Listed).</summary>
        private bool[] Listed()
        {
            var listed = new bool[_j.Items.Count];
            for (var i = 0; i < listed.Length; i++)
            {
                listed[i] = true;
                for (var up = i; up >= 0; up = _parent[up])
                {
                    if (_j.Items[up].CatchAll)
                    {
                        listed[i] = false;
                        break;
                    }
                }
            }

            return listed;
        }

        /// <summary>Hands each entry of <paramref name="codes"/> and every entry below it to <paramref name="found"/>, depth first in list order.</summary>
        private void Below(IReadOnlyList<string> codes, List<int> stack, Action<int> found)
        {
            stack.Clear();
            for (var c = codes.Count - 1; c >= 0; c--)
            {
                stack.Add(_index[codes[c]]);
            }

            while (stack.Count > 0)
            {
                var i = stack[^1];
                stack.RemoveAt(stack.Count - 1);
                found(i);
                foreach (var child in _children[i])
                {
                    stack.Add(child);
                }
            }
        }

        /// <summary>
        /// The entries that meet <paramref name="where"/> (bit per entry): for every attribute it names, the entry's
        /// inherited attributes hold at least one of the values it lists (an attribute listed without values: none).
        /// </summary>
        private ulong[] Holding(IReadOnlyDictionary<string, IReadOnlyList<string>> where)
        {
            var holding = new ulong[_entryWords];
            Array.Fill(holding, ulong.MaxValue);
            var any = new ulong[_entryWords];
            foreach (var (key, wanted) in where)
            {
                Array.Clear(any);
                if (_holders.TryGetValue(key, out var byValue))
                {
                    foreach (var value in wanted)
                    {
                        if (byValue.TryGetValue(value, out var bits))
                        {
                            Or(any, bits);
                        }
                    }
                }

                for (var w = 0; w < holding.Length; w++)
                {
                    holding[w] &= any[w];
                }
            }

            return holding;
        }

        /// <summary>Item rows equal word by word (so that equal rows share one array).</summary>
        private sealed class SameWords : IEqualityComparer<CandidateWord[]>
        {
            public static readonly SameWords Instance = new();

            public bool Equals(CandidateWord[]? x, CandidateWord[]? y) => x.AsSpan().SequenceEqual(y);

            public int GetHashCode(CandidateWord[] obj)
            {
                var hash = new HashCode();
                foreach (var word in obj)
                {
                    hash.Add(word.Index);
                    hash.Add(word.Taken);
                    hash.Add(word.Maybe);
                }

                return hash.ToHashCode();
            }
        }
    }

    /// <summary>A destination selector as set indexes plus a bitmap over countries.</summary>
    private sealed class CompiledDestination
    {
        private readonly bool _any;
        private readonly int[] _sets;
        private readonly int[] _exceptSets;
        private readonly bool[] _countries;
        private readonly bool[] _exceptCountries;

        public CompiledDestination(Dictionary<string, int> setIndex, DestinationSelector selector)
        {
            _any = selector.Any;
            _sets = [.. selector.Sets.Select(s => setIndex[s])];
            _exceptSets = [.. selector.ExceptSets.Select(s => setIndex[s])];
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

        public bool Covers(int country, ulong[] members)
        {
            if (_exceptCountries[country] || AnyMember(_exceptSets, members))
            {
                return false;
            }

            return _any || _countries[country] || AnyMember(_sets, members);
        }

        private static bool AnyMember(int[] sets, ulong[] members)
        {
            foreach (var s in sets)
            {
                if (IsSet(members, s))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
