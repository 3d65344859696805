using Clearance.Evaluation;
using Clearance.Model;

namespace Clearance.Application;

/// <summary>The answer of one regime that governs a shipment.</summary>
/// <param name="Jurisdiction">The regime.</param>
/// <param name="Classification">The shipment's classification under it as given ("US:3B993"), or null when it carries none.</param>
/// <param name="ItemIndex">The shipment's classification under it, as its index in <see cref="Jurisdiction.Items"/>; <see cref="ShipmentFacts.NoItem"/> when the shipment carries none (or the regime's list is not in the content yet).</param>
/// <param name="Determination">The regime's verdict, grounds, eligible licences and explanation.</param>
/// <param name="CoveredBy">The held licence that authorises the export under this regime, or null.</param>
/// <param name="EndUser">What screening the end user against this regime's end-user list found.</param>
/// <param name="Consignee">What screening the consignee found, or null when no consignee was given.</param>
/// <param name="Parties">What screening the purchaser and each intermediate consignee found, in the line's order, or null when it names none.</param>
public sealed record RegimeResult(Jurisdiction Jurisdiction, string? Classification, int ItemIndex, Determination Determination, string? CoveredBy, EndUserResult EndUser, EndUserResult? Consignee = null,
    IReadOnlyList<TransactionParty>? Parties = null)
{
    /// <summary>The control-list entry evaluated, or null when the shipment carries no classification under this regime.</summary>
    public ControlEntry? Item => ItemIndex >= 0 ? Jurisdiction.Items[ItemIndex] : null;
}

/// <summary>A party to the transaction besides the end user and the consignee (the purchaser, an intermediate consignee), and its screening.</summary>
/// <param name="Party">Which party it is.</param>
/// <param name="Name">Its name as given.</param>
/// <param name="Screening">What screening it found under the regime.</param>
public sealed record TransactionParty(ScreenedParty Party, string Name, EndUserResult Screening);

/// <summary>The answer for one shipment.</summary>
/// <param name="Shipment">The shipment checked.</param>
/// <param name="Primary">The first governing regime in content order: the exporting country's when it has content.</param>
/// <param name="Others">The further governing regimes (those that reach the shipment's classified items), or null for the usual single regime.</param>
/// <param name="Determination">The answer: the single regime's, or the combination of all (<see cref="Determination.Combine"/>).</param>
/// <param name="CoveredBy">The held licence that authorises the export; for several regimes, the licences (qualified by regime, joined by " + ") when every regime that requires one is covered and none prohibits or is undecided; otherwise null.</param>
public sealed record CheckResult(Shipment Shipment, RegimeResult Primary, IReadOnlyList<RegimeResult>? Others, Determination Determination, string? CoveredBy)
{
    /// <summary>Every regime that governs the export, in content order (built on request: most lines have one).</summary>
    public IReadOnlyList<RegimeResult> Regimes => Others is null ? [Primary] : [Primary, .. Others];

    /// <summary>The primary regime.</summary>
    public Jurisdiction Jurisdiction => Primary.Jurisdiction;

    /// <summary>The primary regime's classification index.</summary>
    public int ItemIndex => Primary.ItemIndex;

    /// <summary>The primary regime's control-list entry, or null.</summary>
    public ControlEntry? Item => Primary.Item;

    /// <summary>What screening the end user against the primary regime's end-user list found.</summary>
    public EndUserResult EndUser => Primary.EndUser;

    /// <summary>What screening the consignee found under the primary regime, or null when none was given.</summary>
    public EndUserResult? Consignee => Primary.Consignee;

    /// <summary>What screening the purchaser and the intermediate consignees found under the primary regime, or null when the line names none.</summary>
    public IReadOnlyList<TransactionParty>? Parties => Primary.Parties;

    /// <summary>Whether more than one regime governs the export (the result then lists them).</summary>
    public bool IsCombined => Others is not null;
}

/// <summary>One input line checked: its result, or the error that stopped it.</summary>
/// <param name="Line">Line number in the input.</param>
/// <param name="Id">The shipment's id, when readable.</param>
/// <param name="Result">The result; null when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why the line has no result.</param>
public readonly record struct CheckedLine(long Line, ShipmentId? Id, CheckResult? Result, LineError? Error);

/// <summary>The check of one input line, whatever content it is made with (<see cref="CheckService"/>, <see cref="CheckOnDemand"/>).</summary>
public interface IShipmentCheck
{
    /// <summary>Checks one line read by any input; a line in error passes through.</summary>
    /// <param name="line">The line read.</param>
    CheckedLine Check(ShipmentLine line);

    /// <summary>
    /// <paramref name="lines"/> as they are, with whatever the check prepares from their first ones before they are
    /// checked (<see cref="CheckOnDemand"/> compiles the content they need); nothing for a check whose content is whole.
    /// </summary>
    /// <param name="lines">The lines to be checked.</param>
    IEnumerable<ShipmentLine> Sized(IEnumerable<ShipmentLine> lines) => lines;
}

/// <summary>
/// Checks shipments: resolves the jurisdiction and the item, screens the end user, evaluates, and finds the held
/// licence that covers the export. Thread-safe; one per content and list database.
/// </summary>
public sealed class CheckService(Evaluator evaluator, EndUserScreening screening) : IShipmentCheck
{
    // The compiled regimes as an array: indexed per line, where an interface indexer costs a call.
    private readonly CompiledJurisdiction[] _regimes = [.. evaluator.Jurisdictions];

    /// <summary>Combined answers per generation of <see cref="GenerationCache{TKey, TValue}"/>, as the regimes' own determinations are kept.</summary>
    internal const int CombinedCapacity = 16_384;

    // Combined answers, shared like the regimes' own determinations (so that the wire forms cached per determination stay
    // bounded): at most two generations, so that a batch of many distinct combinations keeps flat memory.
    private readonly GenerationCache<Determination[], Determination> _combined = new(CombinedCapacity, new SameDeterminations());

    /// <summary>A check whose combined answers are kept in generations of <paramref name="combinedCapacity"/> (a test of the bound).</summary>
    internal CheckService(Evaluator evaluator, EndUserScreening screening, int combinedCapacity)
        : this(evaluator, screening)
    {
        _combined = new(combinedCapacity, new SameDeterminations());
    }

    /// <summary>Combined answers held now (both generations).</summary>
    internal int CombinedCount => _combined.Count;

    // One re-export view per (determination, exporting country): shared like the determinations themselves.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<Determination, System.Collections.Concurrent.ConcurrentDictionary<CountryCode, Determination>> _reexports = [];

    /// <summary>
    /// The answer of a regime that governs the line only because the line classifies the item under it (the EAR for a
    /// US-classified item shipped from Japan), saying so: the classification is the user's statement that the item is
    /// subject to that regime, and the answer is for a re-export from the exporting country.
    /// </summary>
    private Determination Reexport(Determination determination, CountryCode from) =>
        _reexports.GetValue(determination, static _ => new()).GetOrAdd(from, static (exporter, d) => d with
        {
            Explanation = $"Re-export from {exporter}: the line classifies the item under {d.Jurisdiction}, which states that it is subject to "
                + $"the {d.Jurisdiction} rules (de minimis and foreign direct product rules are not computed); the destination is answered as for an export. {d.Explanation}",
        }, determination);

    // Each regime's licence type ids, and every held id met so far with its canonical spelling (null: unknown).
    private readonly Dictionary<string, IReadOnlyList<string>> _licences =
        evaluator.Content.Jurisdictions.ToDictionary(j => j.Id, j => (IReadOnlyList<string>)[.. j.Licenses.Select(l => l.Id)]);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string?> _heldIds = new(StringComparer.Ordinal);

    /// <summary>The content the answers come from.</summary>
    public Evaluator Evaluator => evaluator;

    /// <summary>
    /// Whether the determinations carry their trace (the default). A caller that never reads it (a batch written
    /// without --trace) sets false: each regime then answers with one determination per answer rather than per outcome
    /// (<see cref="CompiledJurisdiction.EvaluateUntraced"/>; its <see cref="Determination.Trace"/> throws when read),
    /// which the writer's forms kept with the determination serve on every line.
    /// </summary>
    public bool Traced { get; init; } = true;

    /// <summary>Checks one line read by any input; a line in error passes through.</summary>
    [System.Runtime.CompilerServices.MethodImpl(HotPath.Compile)]
    public CheckedLine Check(ShipmentLine line)
    {
        if (line.Shipment is not { } shipment)
        {
            return new CheckedLine(line.Line, line.Id, null, line.Error);
        }

        // Each classification names its regime by its prefix and an item of that regime's list, one per regime: more
        // classifications than regimes is an error before anything is sized by their count.
        // As a span: the reader's vocabulary array, indexed without an interface call per element (ListSpan).
        var classifications = ListSpan.Of(shipment.Classifications);
        if (classifications.Length > _regimes.Length)
        {
            return Failed(line, "invalid-field", $"line {line.Line}: field 'item': {classifications.Length} classifications, more than the {_regimes.Length} regimes in the content: give one per regime");
        }

        Span<int> classified = stackalloc int[classifications.Length];
        Span<int> items = stackalloc int[classifications.Length];
        for (var i = 0; i < classifications.Length; i++)
        {
            if (Resolve(classifications[i], out classified[i], out items[i]) is { } error)
            {
                return Failed(line, error.Code, $"line {line.Line}: field 'item': {error.Message}");
            }

            if (classified[..i].Contains(classified[i]))
            {
                return Failed(line, "invalid-field", $"line {line.Line}: field 'item': two classifications under {_regimes[classified[i]].Model.Id}: give one per regime");
            }
        }

        Span<int> regimes = stackalloc int[_regimes.Length];
        var count = evaluator.Governing(shipment.From, shipment.Date, classified, regimes);
        if (count == 0)
        {
            var available = string.Join(", ", evaluator.Content.Jurisdictions.Select(j => j.Id));
            return Failed(line, "unsupported-jurisdiction", $"line {line.Line}: field 'from': no regulatory content governs exports from '{shipment.From}' of {string.Join(", ", shipment.Classifications)} (regimes: {available})");
        }

        for (var i = 0; i < classified.Length; i++)
        {
            if (!regimes[..count].Contains(classified[i]))
            {
                var id = _regimes[classified[i]].Model.Id;
                return Failed(line, "unknown-item", $"line {line.Line}: field 'item': '{classifications[i]}': {id}'s rules do not govern exports from '{shipment.From}'; give the classification under the exporting country's regime");
            }
        }

        if (shipment.Facts is { } facts && CheckFacts(line.Line, facts, regimes[..count]) is { } factError)
        {
            return new CheckedLine(line.Line, line.Id, null, factError);
        }

        if (ListSpan.Of(shipment.Held).Length > 0)
        {
            if (CanonicalHeld(line.Line, shipment.Held, out var held) is { } heldError)
            {
                return new CheckedLine(line.Line, line.Id, null, heldError);
            }

            if (!ReferenceEquals(held, shipment.Held))
            {
                shipment = shipment with { Held = held };
            }
        }

        if (count == 1)
        {
            var single = Evaluate(regimes[0], classified, items, classifications, shipment);
            return new CheckedLine(line.Line, line.Id, new CheckResult(shipment, single, null, single.Determination, single.CoveredBy), null);
        }

        var results = new RegimeResult[count];
        for (var r = 0; r < count; r++)
        {
            results[r] = Evaluate(regimes[r], classified, items, classifications, shipment);
        }

        // Shared like the regimes' own determinations: equal combinations are one object while they are in use.
        var combined = _combined.GetOrAdd([.. results.Select(r => r.Determination)], static (regimeAnswers, _) => Determination.Combine(regimeAnswers), 0);
        // Held licences authorise the export only when they answer every regime: not while another regime prohibits it
        // or cannot decide (a JP licence says nothing of the EAR's answer for a US-classified item).
        var requiring = results.Where(r => r.Determination.Verdict == Verdict.LicenseRequired).ToList();
        var covered = combined.Verdict == Verdict.LicenseRequired && requiring.All(r => r.CoveredBy is not null)
            && !results.Any(r => r.Determination.Verdict == Verdict.Indeterminate)
            ? string.Join(" + ", requiring.Select(r => $"{r.Jurisdiction.Id}:{r.CoveredBy}"))
            : null;
        return new CheckedLine(line.Line, line.Id, new CheckResult(shipment, results[0], results[1..], combined, covered), null);
    }

    /// <summary>
    /// The evaluation step, in one place: the facts of the shipment under one governing regime, with its
    /// classification (if the shipment carries one) and the end user screened against its end-user list.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(HotPath.Compile)]
    private RegimeResult Evaluate(int regime, ReadOnlySpan<int> classified, ReadOnlySpan<int> items, ReadOnlySpan<string> classifications, Shipment shipment)
    {
        var jurisdiction = _regimes[regime];
        var at = classified.IndexOf(regime);
        var item = at < 0 ? ShipmentFacts.NoItem : items[at];
        var endUser = screening.Screen(jurisdiction.Model, shipment.EndUser, shipment.To, shipment.EndUserDecision, shipment.Date);
        var consignee = shipment.Consignee is null ? null : screening.Screen(jurisdiction.Model, shipment.Consignee, shipment.To, shipment.ConsigneeDecision, shipment.Date, ScreenedParty.Consignee);
        var parties = shipment.Purchaser is null && shipment.IntermediateConsignees is null ? null : OtherParties(jurisdiction.Model, shipment);
        var screened = (consignee is null || consignee.ScreenedFacts.Count == 0) && parties is null ? endUser.ScreenedFacts : OfParties(jurisdiction.Model, endUser, consignee, parties);
        var facts = new ShipmentFacts(shipment.Date, item, shipment.To, shipment.EndUse, shipment.Informed, endUser.Status)
        {
            From = shipment.From,
            Value = shipment.Value is { } value ? new Amount(value.Amount, value.Currency) : null,
            Quantity = shipment.Quantity is { } quantity ? new Amount(quantity.Amount, quantity.Unit) : null,
            // An array on the usual path (no screened fact: the empty array): its length read without an interface call.
            Declared = (screened is ScreenedFact[] array ? array.Length : screened.Count) == 0 ? shipment.Facts : WithScreened(shipment.Facts, screened),
        };
        var determination = Traced ? jurisdiction.Evaluate(facts) : jurisdiction.EvaluateUntraced(facts);
        if (item >= 0 && jurisdiction.Model.ReachesClassifiedItems && !jurisdiction.GovernsExportsFrom(shipment.From, shipment.Date))
        {
            determination = Reexport(determination, shipment.From);
        }

        // The Entity List ground's review policy is the listed entry's, of whichever party it is: the determination
        // carries it, so that every writer reads it there.
        determination = ListedPartyPolicy.Apply(jurisdiction.Model, determination, endUser, consignee, parties);

        var classification = at < 0 ? null : classifications[at];
        var coveredBy = CoveredBy(ListSpan.Of(determination.EligibleLicenses), ListSpan.Of(shipment.Held), jurisdiction.Model.Id);
        return parties is null
            ? Shared(jurisdiction.Model, classification, item, determination, coveredBy, endUser, consignee)
            : new RegimeResult(jurisdiction.Model, classification, item, determination, coveredBy, endUser, consignee, parties);
    }

    /// <summary>
    /// The regime's answer for a line without other parties, shared by the lines that give the same one: a result is
    /// immutable and its members are shared objects (the determination, the vocabulary's classification string, the
    /// licence id from the eligible list, the screening's result), so a line of a batch finds the last result with its
    /// members in a slot by their identities instead of allocating one (80 bytes a line, docs/benchmarks.md,
    /// check-lines15). A slot is taken once, by the first result put there, with its hash beside it.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(HotPath.Compile)]
    private RegimeResult Shared(Jurisdiction jurisdiction, string? classification, int item, Determination determination, string? coveredBy, EndUserResult endUser, EndUserResult? consignee)
    {
        var hash = HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(determination), item, System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(coveredBy),
            System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(endUser), System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(consignee));
        ref var slot = ref _results[hash & (ResultSlots - 1)];
        // The hash first, kept beside the result: a line whose result is not there (most US lines of a mixed batch)
        // reads the slot and not the result it holds. The two fields are not read together atomically: the hash only
        // rules results out, and a result is used only when every member is the line's.
        var kept = Volatile.Read(ref slot.Hash) == hash ? Volatile.Read(ref slot.Result) : null;
        if (kept is not null && ReferenceEquals(kept.Determination, determination) && kept.ItemIndex == item && ReferenceEquals(kept.Classification, classification)
            && ReferenceEquals(kept.CoveredBy, coveredBy) && ReferenceEquals(kept.EndUser, endUser) && ReferenceEquals(kept.Consignee, consignee) && ReferenceEquals(kept.Jurisdiction, jurisdiction)
            && kept.Parties is null)
        {
            return kept;
        }

        // A slot keeps the first result put there: a batch of many distinct results (the EAR's lines of a mixed batch)
        // would otherwise replace one on most lines, each young result kept alive by the table until a collection
        // promoted it (measured: the mixed batch used more CPU when slots were replaced, docs/benchmarks.md).
        var result = new RegimeResult(jurisdiction, classification, item, determination, coveredBy, endUser, consignee);
        if (Volatile.Read(ref slot.Result) is null && Interlocked.CompareExchange(ref slot.Taken, 1, 0) == 0)
        {
            slot.Hash = hash;
            Volatile.Write(ref slot.Result, result);
        }

        return result;
    }

    /// <summary>Slots of shared regime results (<see cref="Shared"/>): a few per item and answer of a Japanese or Korean batch.</summary>
    private const int ResultSlots = 16_384;

    private readonly ResultSlot[] _results = new ResultSlot[ResultSlots];

    /// <summary>A shared regime result and its hash (<see cref="Shared"/>); taken once, by the first line that finds it free.</summary>
    private struct ResultSlot
    {
        public int Hash;
        public int Taken;
        public RegimeResult? Result;
    }

    /// <summary>The purchaser and each intermediate consignee screened under the regime (lines that name them are rare: not the hot path).</summary>
    private List<TransactionParty> OtherParties(Jurisdiction jurisdiction, Shipment shipment)
    {
        var parties = new List<TransactionParty>();
        if (shipment.Purchaser is { } purchaser)
        {
            parties.Add(new TransactionParty(ScreenedParty.Purchaser, purchaser, screening.Screen(jurisdiction, purchaser, shipment.To, null, shipment.Date, ScreenedParty.Purchaser)));
        }

        foreach (var name in shipment.IntermediateConsignees ?? [])
        {
            parties.Add(new TransactionParty(ScreenedParty.IntermediateConsignee, name, screening.Screen(jurisdiction, name, shipment.To, null, shipment.Date, ScreenedParty.IntermediateConsignee)));
        }

        return parties;
    }

    /// <summary>
    /// What the parties' screening answers together for each fact screened for several of them (the EAR's lists apply to
    /// any party to the transaction, 15 CFR 748.5(c)-(f)): listed when any is; clear only when the end user was screened
    /// clear and every other party given too (another party alone clears nothing while the end user is unknown);
    /// otherwise unanswered (null), left to the shipment. A fact screened for one party only takes that party's answer.
    /// </summary>
    internal static IReadOnlyList<ScreenedFact> OfParties(Jurisdiction jurisdiction, EndUserResult endUser, EndUserResult? consignee, IReadOnlyList<TransactionParty>? parties = null)
    {
        List<EndUserResult> others = [];
        if (consignee is not null)
        {
            others.Add(consignee);
        }

        others.AddRange((parties ?? []).Select(p => p.Screening));
        var merged = new List<ScreenedFact>();
        foreach (var fact in jurisdiction.DeclaredFacts)
        {
            var byEndUser = endUser.ScreenedFacts.FirstOrDefault(f => f.Fact == fact.Id);
            var byOthers = others.Select(o => o.ScreenedFacts.FirstOrDefault(f => f.Fact == fact.Id)).OfType<ScreenedFact>().ToList();
            if (byEndUser is null && byOthers.Count == 0)
            {
                continue;
            }

            var clearedByEndUser = byEndUser is null ? !fact.IsScreenedFor(ScreenedParty.EndUser) : byEndUser.Value == "false";
            var value = byEndUser?.Value == "true" || byOthers.Any(f => f.Value == "true") ? "true"
                : clearedByEndUser && byOthers.All(f => f.Value == "false") ? "false"
                : null;
            merged.Add(new ScreenedFact(fact.Id, value, null, ""));
        }

        return merged;
    }

    /// <summary>
    /// The shipment's declared facts with those screening answered: a listing either one reports counts (screening
    /// cannot clear a party the exporter knows to have been listed on the date, e.g. one removed from the list since,
    /// and the exporter cannot declare a listed party clear: a possible match is cleared by end_user_decision or
    /// consignee_decision); a fact
    /// neither answers stays missing.
    /// </summary>
    internal static IReadOnlyDictionary<string, string> WithScreened(IReadOnlyDictionary<string, string>? given, IReadOnlyList<ScreenedFact> screened)
    {
        var merged = given is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(given, StringComparer.Ordinal);
        foreach (var fact in screened)
        {
            if (fact.Value is { } value && (value == "true" || !merged.ContainsKey(fact.Fact)))
            {
                merged[fact.Fact] = value;
            }
        }

        return merged;
    }

    /// <summary>
    /// The held licence ids as the content spells them ("Individual" and "jp:INDIVIDUAL" are "individual" and
    /// "JP:individual"): <paramref name="held"/> itself when all are (the usual case, nothing allocated), else a copy.
    /// An id that is no licence type of the content (of the named regime, when qualified) is an error naming it.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(HotPath.Compile)]
    private LineError? CanonicalHeld(long line, IReadOnlyList<string> held, out IReadOnlyList<string> canonical)
    {
        canonical = held;
        string[]? copy = null;
        var ids = ListSpan.Of(held);
        for (var i = 0; i < ids.Length; i++)
        {
            var id = ids[i];
            if (!_heldIds.TryGetValue(id, out var known))
            {
                known = Canonical(id);
                if (_heldIds.Count < 4096)
                {
                    _heldIds.TryAdd(id, known);
                }
            }

            if (known is null)
            {
                return new LineError("unknown-licence", $"line {line}: field 'held': {UnknownLicence(id)}");
            }

            if (!ReferenceEquals(known, id) && copy is null)
            {
                copy = ids.ToArray();
            }

            if (copy is not null)
            {
                copy[i] = known;
            }
        }

        if (copy is not null)
        {
            canonical = copy;
        }

        return null;
    }

    /// <summary>The content's spelling of a held licence id (the same string when it is already), or null for an unknown one.</summary>
    private string? Canonical(string id)
    {
        var colon = id.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            var any = _licences.SelectMany(l => l.Value).FirstOrDefault(l => string.Equals(l, id, StringComparison.OrdinalIgnoreCase));
            return any is null ? null : any == id ? id : any;
        }

        var regime = _licences.Keys.FirstOrDefault(r => string.Equals(r, id[..colon], StringComparison.OrdinalIgnoreCase));
        var licence = regime is null ? null : _licences[regime].FirstOrDefault(l => string.Equals(l, id[(colon + 1)..], StringComparison.OrdinalIgnoreCase));
        if (licence is null)
        {
            return null;
        }

        var qualified = $"{regime}:{licence}";
        return qualified == id ? id : qualified;
    }

    /// <summary>Why <paramref name="id"/> is not a licence type, with the nearest one and the ids there are.</summary>
    private string UnknownLicence(string id)
    {
        var all = _licences.SelectMany(r => r.Value.Select(l => $"{r.Key}:{l}")).Concat(_licences.SelectMany(r => r.Value)).Distinct().ToList();
        var near = NearestName.Find(id, all) is { } n ? $": did you mean '{n}'?" : "";
        return $"'{id}' is not a licence type id{near} (licence types: {string.Join("; ", _licences.Where(r => r.Value.Count > 0).Select(r => $"{r.Key}: {string.Join(", ", r.Value)}"))})";
    }

    /// <summary>
    /// The declared facts a shipment gives, against the governing regimes: each must be a fact one of them declares
    /// (a built-in fact has its own field), with a value of the type every regime declaring it gives it.
    /// </summary>
    private LineError? CheckFacts(long line, IReadOnlyDictionary<string, string> facts, ReadOnlySpan<int> regimes)
    {
        foreach (var (id, text) in facts)
        {
            var field = ShipmentFields.FactField(id);
            if (Facts.BuiltIn.Any(f => f.Id == id))
            {
                var own = id == Facts.EndUserListed ? "end_user" : id;
                return ShipmentFields.Invalid(line, field, $"'{id}' is a built-in fact: give it in the field '{own}'" + (own == id ? "" : " (screening decides it)"));
            }

            var declared = false;
            foreach (var regime in regimes)
            {
                var jurisdiction = _regimes[regime].Model;
                if (jurisdiction.DeclaredFacts.FirstOrDefault(f => f.Id == id) is not { } definition)
                {
                    continue;
                }

                declared = true;
                if (FactValueError(definition, text, jurisdiction.Id) is { } what)
                {
                    return ShipmentFields.Invalid(line, field, what);
                }
            }

            if (!declared)
            {
                var governing = regimes.ToArray().Select(r => _regimes[r].Model).ToList();
                var ids = governing.SelectMany(j => j.DeclaredFacts.Select(f => f.Id)).Distinct().ToList();
                return ShipmentFields.Invalid(line, field, $"not a fact of {string.Join(", ", governing.Select(j => j.Id))} (declared: {(ids.Count == 0 ? "none" : string.Join(", ", ids))})");
            }
        }

        return null;
    }

    /// <summary>Why <paramref name="text"/> is not a value of the fact, or null when it is.</summary>
    private static string? FactValueError(FactDefinition definition, string text, string regime) => definition.Type switch
    {
        FactType.Boolean when text is not ("true" or "false") => $"'{text}' is not true or false ({regime}'s {definition.Id} is a boolean)",
        FactType.Enumeration when !definition.Values.Contains(text) => $"'{text}' is not one of {string.Join(", ", definition.Values)} ({regime}'s {definition.Id})",
        FactType.Amount when !ShipmentFields.IsFactAmount(text) => $"'{text}' is not an amount with its unit such as \"1500 W\" ({regime}'s {definition.Id})",
        _ => null,
    };

    /// <summary>
    /// Resolves "JP:3(1)": the regime (by prefix, either case) and the item of its list; a code of a regime whose list
    /// is not in the content yet is recognised by its form (<see cref="CompiledJurisdiction.RecognisesCode"/>).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(HotPath.Compile)]
    private LineError? Resolve(string classification, out int regime, out int item)
    {
        // A batch's classifications come from its reader's vocabulary, one string per distinct value: each string is
        // resolved once and found again by reference, without hashing its text into two frozen dictionaries per line
        // (8-9 % of the checking threads on the mixed benchmark batch). Two slots per hash hold the last strings
        // resolved there; another string (a reader without a vocabulary, or a third string of the pair) is resolved
        // again from its text, never misread.
        var slot = System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(classification) & (ResolvedSlots - 2);
        var known = Volatile.Read(ref _resolved[slot]);
        if (!ReferenceEquals(known?.Classification, classification))
        {
            known = Volatile.Read(ref _resolved[slot + 1]);
        }

        if (known is not null && ReferenceEquals(known.Classification, classification))
        {
            regime = known.Regime;
            item = known.Item;
            return null;
        }

        var error = ResolveText(classification, out regime, out item);
        if (error is null)
        {
            // The first slot of the pair when it is free, else the second (which a third string then takes over).
            Volatile.Write(ref _resolved[Volatile.Read(ref _resolved[slot]) is null ? slot : slot + 1], new Resolved(classification, regime, item));
        }

        return error;
    }

    /// <summary>Slots of classifications resolved (<see cref="Resolve"/>), in pairs: over twice the EAR's 2,880 entries and the other lists together.</summary>
    private const int ResolvedSlots = 8192;

    private readonly Resolved?[] _resolved = new Resolved?[ResolvedSlots];

    /// <summary>A classification string resolved to its regime and item (<see cref="ShipmentFacts.NoItem"/> for a recognised code of an incomplete regime).</summary>
    private sealed record Resolved(string Classification, int Regime, int Item);

    /// <summary>Resolves a classification from its text (<see cref="Resolve"/>).</summary>
    private LineError? ResolveText(string classification, out int regime, out int item)
    {
        item = ShipmentFacts.NoItem;
        var colon = classification.IndexOf(':', StringComparison.Ordinal);
        regime = colon > 0 ? evaluator.IndexOf(classification.AsSpan(0, colon)) : -1;
        if (regime < 0)
        {
            var available = string.Join(", ", evaluator.Content.Jurisdictions.Select(j => j.Id));
            return new LineError("unknown-item", $"'{classification}' names no regime (expected REGIME:code, regimes: {available})");
        }

        var jurisdiction = _regimes[regime];
        var code = classification.AsSpan(colon + 1);
        if (jurisdiction.TryFindItem(code, out item))
        {
            return null;
        }

        item = ShipmentFacts.NoItem;
        if (jurisdiction.RecognisesCode(code.ToString()))
        {
            return null;
        }

        var id = jurisdiction.Model.Id;
        return new LineError("unknown-item", $"'{classification}' is not an item of {id}'s control list (expected {id}:<code>, e.g. {Example(jurisdiction.Model)})");
    }

    /// <summary>
    /// The first held licence id, in the order of the determination's eligible licences, that authorises the export. A
    /// held id may name its regime ("JP:individual"); an unqualified one counts under any regime. Over spans: the lists
    /// are arrays on the per-line path, indexed without an interface call (ListSpan).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(HotPath.Compile)]
    private static string? CoveredBy(ReadOnlySpan<string> eligible, ReadOnlySpan<string> held, string? regime)
    {
        for (var e = 0; e < eligible.Length; e++)
        {
            var licence = eligible[e];
            for (var h = 0; h < held.Length; h++)
            {
                var id = held[h];
                if (string.Equals(id, licence, StringComparison.Ordinal)
                    || (regime is not null && id.Length == regime.Length + 1 + licence.Length && id[regime.Length] == ':'
                        && id.StartsWith(regime, StringComparison.OrdinalIgnoreCase) && id.EndsWith(licence, StringComparison.Ordinal)))
                {
                    return licence;
                }
            }
        }

        return null;
    }

    private static CheckedLine Failed(ShipmentLine line, string code, string message) => new(line.Line, line.Id, null, new LineError(code, message));

    /// <summary>Two codes of the list as classifications, for a message that says what an item looks like.</summary>
    internal static string Example(Jurisdiction j) => string.Join(", ", j.Items.Where(i => i.Parent is not null).Take(2).Select(i => $"{j.Id}:{i.Code}"));
}

/// <summary>Lists of determinations compared element by element by reference (determinations are shared).</summary>
internal sealed class SameDeterminations : IEqualityComparer<Determination[]>
{
    public bool Equals(Determination[]? x, Determination[]? y) =>
        x is not null && y is not null && x.Length == y.Length && x.Zip(y).All(p => ReferenceEquals(p.First, p.Second));

    public int GetHashCode(Determination[] obj)
    {
        var hash = new HashCode();
        foreach (var d in obj)
        {
            hash.Add(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(d));
        }

        return hash.ToHashCode();
    }
}
