using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Clearance.Evaluation;
using Clearance.Licensing;
using Clearance.Model;
using Clearance.Screening.Matching;
using Clearance.Store;
using NodaTime.Text;

namespace Clearance.Application;

/// <summary>One submitted line answered: its stored record, or the error that kept it out of the store.</summary>
/// <param name="Line">Line number in the input.</param>
/// <param name="Id">The line's id, when readable.</param>
/// <param name="Record">The line as stored; null when <paramref name="Error"/> is set.</param>
/// <param name="Repeated">Whether the id was submitted before (the stored result, nothing drawn again).</param>
/// <param name="Error">Why nothing was recorded for the line.</param>
/// <param name="Differs">For a repeat: the line differs from the one stored under its id (the stored result stands).</param>
public readonly record struct SubmittedLine(long Line, ShipmentId? Id, ShipmentRecord? Record, bool Repeated, LineError? Error, bool Differs = false);

/// <summary>
/// <c>shipments submit</c>: each line checked (determination and screening of consignee and end user), its open reasons
/// named, a licence drawn where one is required, and its status stored with its audit records; many lines to a
/// transaction, each wholly recorded or absent.
/// </summary>
public sealed class ShipmentWorkflow
{
    private readonly IShipmentCheck _check;
    private readonly ShipmentStore _store;
    private readonly string _actor;
    private readonly ResultJson _json = new(includeTrace: false);
    private readonly OutputBuffer _determination = OutputBuffer.InMemory();

    /// <summary>The determination decoded, reused line after line: only its own part becomes a string (<see cref="ShipmentStore.Split"/>).</summary>
    private char[] _determinationChars = new char[4096];
    private readonly Lazy<ScreeningDecisionSet> _decisions;

    /// <summary>The workflow checking each line with <paramref name="service"/> (its whole content compiled).</summary>
    public ShipmentWorkflow(CheckService service, ShipmentStore store, string actor)
        : this(service, service.Evaluator.Content.Version, service.Evaluator.Content.Files, store, actor)
    {
    }

    /// <summary>
    /// The workflow checking each line with the built-in content compiled as the lines need it (<see cref="CheckOnDemand"/>,
    /// as <c>clearance check</c> does): a book of Japanese exports never parses and compiles the EAR's 1 MB generated
    /// list before the first line is checked (a submit of one line: 1.10 CPU seconds instead of 1.58, docs/benchmarks.md,
    /// submit-speed13). Every answer is the whole content's, under its version id, which is the version kept.
    /// </summary>
    public ShipmentWorkflow(ContentOnDemand content, ShipmentStore store, string actor)
        : this(new CheckOnDemand(content), content.Version, content.Files, store, actor)
    {
    }

    private ShipmentWorkflow(IShipmentCheck check, string contentVersion, IReadOnlyList<ContentFile> contentFiles, ShipmentStore store, string actor)
    {
        ArgumentNullException.ThrowIfNull(store);
        (_check, _store, _actor) = (check, store, actor);
        _decisions = new(() => store.Decisions.Current());
        ContentVersionStored = store.Content.Keep(contentVersion, contentFiles);
    }

    /// <summary>
    /// Whether this workflow stored the files of its content version, which happens once per version: the content is kept
    /// before any determination made with it is recorded, so that every recorded determination can be replayed
    /// (<c>audit replay</c>) after the built-in content has changed. One query per run, not per line.
    /// </summary>
    public bool ContentVersionStored { get; }

    /// <summary>
    /// Names already normalised: the normalisation costs more than the rest of a line's licence demand, and a book names
    /// each party many times. At most 50,000 names are remembered, in two generations (a book of 100,000 lines names
    /// 5,000 parties), as the check keeps its wire forms.
    /// </summary>
    private static readonly GenerationCache<string, string> NormalizedNames = new(25_000, StringComparer.Ordinal);

    /// <summary>How party names are compared with a licence's: the screening normalisation (remembered: it depends on the name alone).</summary>
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return NormalizedNames.GetOrAdd(name, static (n, _) => NameNormalizer.Normalize(n).Joined, 0);
    }

    /// <summary>Lines a batch holds at most before its transaction commits.</summary>
    public const int BatchLines = 1000;

    /// <summary>How long a batch collects lines at most before its transaction commits (so a slow input still commits often).</summary>
    public static readonly TimeSpan BatchTime = TimeSpan.FromMilliseconds(100);

    /// <summary>Checks and records one line read by any input (a batch of one); a line in error passes through, and nothing is recorded for it.</summary>
    /// <remarks>
    /// Done on the caller's thread, without the reading thread of a book: the HTTP API submits one line per request, and
    /// a request thread blocked on a second pool thread, many requests at once, starved the thread pool (a mixed load
    /// with submitted lines answered every kind of request in up to two seconds, some not at all).
    /// </remarks>
    public SubmittedLine Submit(ShipmentLine line)
    {
        var batch = new Batch();
        batch.Add(line, Prepare(line, out var submission), submission);
        return Commit(batch).Single();
    }

    /// <summary>
    /// Checks and records lines read by any input, many to a transaction (<see cref="BatchLines"/> lines or
    /// <see cref="BatchTime"/>, whichever comes first; see <see cref="ShipmentStore.Submit(IReadOnlyList{ShipmentSubmission}, string, Func{string, string})"/>),
    /// and yields the answers of each batch, in input order, once its transaction has committed: an answer never claims a
    /// line that a crash then loses (write each batch out before asking for the next). A line in error passes through,
    /// and nothing is recorded for it.
    /// </summary>
    public IEnumerable<IReadOnlyList<SubmittedLine>> Submit(IEnumerable<ShipmentLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        // The lines are read and checked on another thread while the batch before them is written, so that the check
        // and the database each keep a core busy; one batch at most waits, so memory stays flat.
        using var batches = new BlockingCollection<Batch>(boundedCapacity: 1);
        using var stop = new CancellationTokenSource();
        ExceptionDispatchInfo? failure = null;
        var reading = Task.Run(() =>
        {
            try
            {
                // The content the first lines need is compiled here, on the checking thread (CheckOnDemand).
                Read(_check.Sized(lines), batches, stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // The caller stopped asking for batches.
            }
            catch (Exception e)
            {
                // The input broke off (bytes not valid in its encoding...): the lines read before it are still recorded
                // and answered, then the error goes on to the caller.
                failure = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                batches.CompleteAdding();
            }
        });
        try
        {
            foreach (var batch in batches.GetConsumingEnumerable())
            {
                yield return Commit(batch);
            }
        }
        finally
        {
            stop.Cancel();
            reading.Wait();
        }

        failure?.Throw();
    }

    /// <summary>Checks the lines and hands them on in batches of <see cref="BatchLines"/> lines or <see cref="BatchTime"/>.</summary>
    private void Read(IEnumerable<ShipmentLine> lines, BlockingCollection<Batch> batches, CancellationToken stop)
    {
        var pending = new Batch();
        var started = 0L;
        try
        {
            foreach (var line in lines)
            {
                if (pending.Lines.Count == 0)
                {
                    started = Stopwatch.GetTimestamp();
                }

                pending.Add(line, Prepare(line, out var submission), submission);
                if (pending.Lines.Count >= BatchLines || Stopwatch.GetElapsedTime(started) >= BatchTime)
                {
                    batches.Add(pending, stop);
                    pending = new Batch();
                }
            }
        }
        finally
        {
            if (pending.Lines.Count > 0 && !stop.IsCancellationRequested)
            {
                batches.Add(pending, stop);
            }
        }
    }

    /// <summary>Records the batch's submissions in one transaction and answers its lines in order.</summary>
    private List<SubmittedLine> Commit(Batch batch)
    {
        var outcomes = _store.Submit(batch.Submissions, _actor, Normalize);
        var answered = new List<SubmittedLine>(batch.Lines.Count);
        var next = 0;
        foreach (var (number, id, refused) in batch.Lines)
        {
            if (refused >= 0)
            {
                answered.Add(batch.Refused[refused]);
                continue;
            }

            var outcome = outcomes[next++];
            answered.Add(outcome.Result is { } submitted
                ? new SubmittedLine(number, id, submitted.Record, submitted.Repeated, null, submitted.Differs)
                : new SubmittedLine(number, id, null, false, new LineError("invalid-field", $"line {number}: {outcome.Error!.Message}")));
        }

        return answered;
    }

    /// <summary>
    /// A batch of lines checked, in input order: each line's number and id, and where its answer is, among the lines
    /// refused before the store (<see cref="Refused"/>) or, in order, among the <see cref="Submissions"/>.
    /// </summary>
    /// <remarks>
    /// The lines are kept as small entries (40 bytes), with the rare refusals apart: a list of a thousand (line, answer)
    /// pairs (about 112 bytes each) grew to an array of over 85,000 bytes once a batch, allocated on the large object
    /// heap, which only a full collection frees.
    /// </remarks>
    private sealed class Batch
    {
        public List<(long Line, ShipmentId? Id, int Refused)> Lines { get; } = new(BatchLines);

        public List<SubmittedLine> Refused { get; } = [];

        public List<PreparedSubmission> Submissions { get; } = new(BatchLines);

        public void Add(ShipmentLine line, SubmittedLine? refused, PreparedSubmission? submission)
        {
            if (refused is { } answer)
            {
                Lines.Add((line.Line, line.Id, Refused.Count));
                Refused.Add(answer);
                return;
            }

            Lines.Add((line.Line, line.Id, -1));
            Submissions.Add(submission!);
        }
    }

    /// <summary>
    /// Checks one line: what to submit, prepared for the store (<see cref="ShipmentStore.Prepare"/>: on this thread, not
    /// in the batch's transaction), or (returned) the answer of a line that cannot be submitted.
    /// </summary>
    private SubmittedLine? Prepare(ShipmentLine line, out PreparedSubmission? submission)
    {
        submission = null;
        // Submitted lines are kept: each needs its id, and the exporter a licence's holder must be.
        if (line.Shipment is { Id: null })
        {
            return new SubmittedLine(line.Line, null, null, false, ShipmentFields.Missing(line.Line, "id"));
        }

        if (line.Shipment is { Exporter: null })
        {
            return new SubmittedLine(line.Line, line.Id, null, false, ShipmentFields.Missing(line.Line, "exporter"));
        }

        var checkedLine = _check.Check(line);
        if (checkedLine.Result is not { } result)
        {
            return new SubmittedLine(line.Line, line.Id, null, false, checkedLine.Error);
        }

        _determination.Clear();
        _json.Write(checkedLine, _determination);
        // The written line ends with a newline: left out by the decoding, not trimmed from a copy (a kilobyte a line).
        var written = _determination.Written;
        written = written.EndsWith((byte)'\n') ? written[..^1] : written;
        if (_determinationChars.Length < Encoding.UTF8.GetMaxCharCount(written.Length))
            _determinationChars = new char[Encoding.UTF8.GetMaxCharCount(written.Length)];
        var determination = _store.Split(_determinationChars.AsSpan(0, Encoding.UTF8.GetChars(written, _determinationChars)));
        submission = _store.Prepare(Decide(result, determination, _decisions.Value));
        return null;
    }

    /// <summary>What the check found, as the store records it: open reasons, prohibition, the licence needed; <paramref name="decisions"/> applied to the screening hits.</summary>
    public static ShipmentSubmission Decide(CheckResult result, string determination, ScreeningDecisionSet? decisions = null) =>
        Decide(result, new DeterminationText(determination), decisions);

    /// <summary>
    /// <see cref="Decide(CheckResult, string, ScreeningDecisionSet?)"/> of a determination held as the store holds it: whole,
    /// or already cut by the store (<see cref="ShipmentStore.Split"/>), and the submission then holds its parts.
    /// </summary>
    public static ShipmentSubmission Decide(CheckResult result, DeterminationText determination, ScreeningDecisionSet? decisions = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(determination);
        var shipment = result.Shipment;
        // Made only when the line has a reason: most lines of a book have none, or only the licence requirement.
        List<JsonObject>? reasons = null;
        var verdict = result.Determination.Verdict;
        if (verdict == Verdict.Prohibited)
        {
            var embargo = result.Determination.Grounds.Any(g => g.Kind == RequirementKind.Embargo);
            (reasons ??= []).Add(new JsonObject
            {
                ["code"] = embargo ? "embargo" : "prohibited",
                ["grounds"] = new JsonArray([.. result.Determination.Grounds.Select(g => (JsonNode)g.Rule)]),
            });
        }

        Screening(result, ref reasons, decisions ?? ScreeningDecisionSet.Empty);
        // A regime that could not decide holds the line even when another regime's licence requirement is the combined
        // verdict: a Japanese licence does not answer the EAR's question about a US-classified item.
        if (verdict == Verdict.Indeterminate
            || (verdict == Verdict.LicenseRequired && result.IsCombined && result.Regimes.Any(r => r.Determination.Verdict == Verdict.Indeterminate)))
        {
            (reasons ??= []).Add(new JsonObject { ["code"] = "indeterminate", ["missing_facts"] = new JsonArray([.. result.Determination.MissingFacts.Select(m => (JsonNode)m)]) });
        }

        JsonObject? required = null;
        LicenseDemand? demand = null;
        if (verdict == Verdict.LicenseRequired && RequiringRegime(result) is { } regime)
        {
            var d = regime.Determination;
            required = Requirement(regime.Jurisdiction.Id, d.EligibleLicenses, d.ReviewDays, d.ReviewDays is { } days ? shipment.Date.PlusDays(days) : null);
            demand = new LicenseDemand(
                shipment.Date, regime.Jurisdiction.Id, d.EligibleLicenses, shipment.Exporter, Items(regime), shipment.To,
                shipment.Consignee is { } c ? Normalize(c) : null, shipment.EndUser is { } u ? Normalize(u) : null,
                shipment.Quantity is { } q ? new LicenseLimit(q.Amount, q.Unit) : null,
                shipment.Value is { } v ? new LicenseLimit(v.Amount, v.Currency) : null);
        }

        // The parties are passed as the fields the request is written from (Request: "end_user", "consignee", "to",
        // "license", "purchaser", "intermediate_consignees"), so that the store need not parse the request again for them.
        var parties = new ShipmentParties(shipment.EndUser, shipment.Consignee, shipment.To.Value, shipment.License, shipment.Purchaser, ShipmentParties.NamesJson(shipment.IntermediateConsignees));
        return new ShipmentSubmission(shipment.Id!.Value.Text, Request(shipment), determination, (IReadOnlyList<JsonObject>?)reasons ?? [], verdict == Verdict.Prohibited,
            required, demand, shipment.License, result.Determination.ContentVersion) { Parties = parties };
    }

    /// <summary>The first regime whose own verdict is a licence requirement, or null (the regimes walked without a list made of them).</summary>
    private static RegimeResult? RequiringRegime(CheckResult result)
    {
        if (result.Primary.Determination.Verdict == Verdict.LicenseRequired)
            return result.Primary;
        foreach (var regime in result.Others ?? [])
        {
            if (regime.Determination.Verdict == Verdict.LicenseRequired)
                return regime;
        }

        return null;
    }

    /// <summary>
    /// The <c>license-required</c> reasons made, by what they say: a book's lines that need a licence share a few dozen of
    /// them (the regime, the licence types of a shared determination, the review's end from the line's date), and each
    /// was a tree of a dozen objects made for every such line and kept until its batch was written. One instance serves
    /// every line with the same requirement, so it is never changed nor given a parent: it is written, compared and
    /// cloned (the store, the recheck and the replay only read it). The benchmark's book has 804 export dates, so a few
    /// thousand requirements: a generation grows while its values are in use rather than build them again.
    /// </summary>
    private static readonly GenerationCache<RequirementKey, JsonObject> Requirements = new(4_096, EqualityComparer<RequirementKey>.Default, maxCapacity: 65_536);

    /// <summary>The <c>license-required</c> reason, the one instance for these members (<see cref="Requirements"/>).</summary>
    private static JsonObject Requirement(string jurisdiction, IReadOnlyList<string> eligible, int? reviewDays, NodaTime.LocalDate? earliest) =>
        Requirements.GetOrAdd(new RequirementKey(jurisdiction, eligible, reviewDays, earliest), static (key, _) => new JsonObject
        {
            ["code"] = "license-required",
            ["jurisdiction"] = key.Jurisdiction,
            ["eligible_types"] = new JsonArray([.. key.Eligible.Select(l => (JsonNode)l)]),
            ["review_days"] = key.ReviewDays,
            ["earliest_decision"] = key.Earliest is { } day ? LocalDatePattern.Iso.Format(day) : null,
        }, 0);

    /// <summary>What a <c>license-required</c> reason says, compared member by member (the licence types one by one, whichever list holds them).</summary>
    private readonly struct RequirementKey(string jurisdiction, IReadOnlyList<string> eligible, int? reviewDays, NodaTime.LocalDate? earliest) : IEquatable<RequirementKey>
    {
        public string Jurisdiction { get; } = jurisdiction;

        public IReadOnlyList<string> Eligible { get; } = eligible;

        public int? ReviewDays { get; } = reviewDays;

        public NodaTime.LocalDate? Earliest { get; } = earliest;

        public bool Equals(RequirementKey other)
        {
            return string.Equals(Jurisdiction, other.Jurisdiction, StringComparison.Ordinal) && ReviewDays == other.ReviewDays && Earliest == other.Earliest
                && OrdinalListComparer.Instance.Equals(Eligible, other.Eligible);
        }

        public override bool Equals(object? obj) => obj is RequirementKey other && Equals(other);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            hash.Add(Jurisdiction, StringComparer.Ordinal);
            hash.Add(ReviewDays);
            hash.Add(Earliest);
            hash.Add(Eligible, OrdinalListComparer.Instance);
            return hash.ToHashCode();
        }
    }

    /// <summary>
    /// A <c>screening-match</c> reason for each list entry the end user or consignee matched, under any governing regime
    /// (<c>screening-cleared</c> where a false-positive decision on the unchanged entry applies), and one for each
    /// true-match decision on either party. The list of reasons and the set of listings seen are made only when there is
    /// something to add (most lines of a book screen clear and no decision is in force).
    /// </summary>
    private static void Screening(CheckResult result, ref List<JsonObject>? reasons, ScreeningDecisionSet decisions)
    {
        HashSet<(string, string, string)>? seen = null;
        Screening(result.Shipment, result.Primary, ref reasons, ref seen, decisions);
        foreach (var regime in result.Others ?? [])
        {
            Screening(result.Shipment, regime, ref reasons, ref seen, decisions);
        }

        if (decisions.IsEmpty)
        {
            return; // no true-match decision to add
        }

        reasons ??= [];
        seen ??= [];
        ScreeningReasons.AddTrueMatches(reasons, "end_user", result.Shipment.EndUser, seen, decisions);
        ScreeningReasons.AddTrueMatches(reasons, "consignee", result.Shipment.Consignee, seen, decisions);
        ScreeningReasons.AddTrueMatches(reasons, "purchaser", result.Shipment.Purchaser, seen, decisions);
        foreach (var name in result.Shipment.IntermediateConsignees ?? [])
        {
            ScreeningReasons.AddTrueMatches(reasons, "intermediate_consignee", name, seen, decisions);
        }
    }

    /// <summary>The reasons of every party the line names with its screening under <paramref name="regime"/>, as a reason's <c>party</c> spells it.</summary>
    private static void Screening(Shipment shipment, RegimeResult regime, ref List<JsonObject>? reasons, ref HashSet<(string, string, string)>? seen, ScreeningDecisionSet decisions)
    {
        Party("end_user", shipment.EndUser, regime.EndUser, ref reasons, ref seen, decisions);
        Party("consignee", shipment.Consignee, regime.Consignee, ref reasons, ref seen, decisions);
        foreach (var party in regime.Parties ?? [])
        {
            Party(party.Party == Clearance.Model.ScreenedParty.Purchaser ? "purchaser" : "intermediate_consignee", party.Name, party.Screening, ref reasons, ref seen, decisions);
        }
    }

    /// <summary>A reason for each listed party <paramref name="screening"/> matched that no reason of the line names yet.</summary>
    private static void Party(string party, string? name, EndUserResult? screening, ref List<JsonObject>? reasons, ref HashSet<(string, string, string)>? seen, ScreeningDecisionSet decisions)
    {
        if (screening is null || name is null || screening.Matches.Count == 0)
        {
            return;
        }

        foreach (var match in screening.Matches)
        {
            // One reason per listed party; its other listings are named in it and count as seen.
            // Every listing is marked seen; the reason is added when none of them was seen before.
            seen ??= [];
            var seenBefore = 0;
            foreach (var listing in match.Listings)
            {
                seenBefore += seen.Add((party, listing.ListId, listing.EntityId)) ? 0 : 1;
            }

            if (seenBefore == 0)
            {
                (reasons ??= []).Add(ScreeningReasons.Match(party, name, match.ListId, match.EntityId, match.Name, Math.Round(match.Score, 3), decisions, match.Listings));
            }
        }
    }

    /// <summary>
    /// The classifications a licence for the line's item may name (its own and every code above it), made once per
    /// control-list entry and classification: each line walked the parents with a search of the whole list.
    /// </summary>
    private static readonly GenerationCache<(Jurisdiction Jurisdiction, int ItemIndex, string? Classification), IReadOnlyList<string>> ItemChains =
        new(10_000, new ItemChainComparer());

    /// <summary>The line's classification under the regime and every code above it: a licence for a row covers its items.</summary>
    private static IReadOnlyList<string> Items(RegimeResult regime) =>
        ItemChains.GetOrAdd((regime.Jurisdiction, regime.ItemIndex, regime.Classification), static (key, regime) => ItemChain(regime), regime);

    /// <summary>
    /// <see cref="Items"/> worked out: the classification, then each parent code qualified by the regime. Kept beside the
    /// cache as the reference it must agree with (ShipmentWorkflowTests).
    /// </summary>
    internal static IReadOnlyList<string> ItemChain(RegimeResult regime)
    {
        var id = regime.Jurisdiction.Id;
        var items = new List<string>();
        if (regime.Classification is { } given)
        {
            items.Add(given);
        }

        var entry = regime.Item;
        while (entry?.Parent is { } parent)
        {
            items.Add($"{id}:{parent}");
            entry = regime.Jurisdiction.Items.FirstOrDefault(i => i.Code == parent);
        }

        return items;
    }

    /// <summary>The regime's content by identity (a record compares every member), the entry by index, the classification by text.</summary>
    private sealed class ItemChainComparer : IEqualityComparer<(Jurisdiction Jurisdiction, int ItemIndex, string? Classification)>
    {
        public bool Equals((Jurisdiction Jurisdiction, int ItemIndex, string? Classification) x, (Jurisdiction Jurisdiction, int ItemIndex, string? Classification) y) =>
            ReferenceEquals(x.Jurisdiction, y.Jurisdiction) && x.ItemIndex == y.ItemIndex && string.Equals(x.Classification, y.Classification, StringComparison.Ordinal);

        public int GetHashCode((Jurisdiction Jurisdiction, int ItemIndex, string? Classification) key) =>
            HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.Jurisdiction), key.ItemIndex, key.Classification is null ? 0 : StringComparer.Ordinal.GetHashCode(key.Classification));
    }

    /// <summary>
    /// The line as submitted, in the contract's names, for the store and the audit record. Written straight to UTF-8, the
    /// same text a <see cref="JsonObject"/> of these members gives with <see cref="Json"/>, without building the tree:
    /// every submitted line stores one.
    /// </summary>
    public static string Request(Shipment shipment)
    {
        ArgumentNullException.ThrowIfNull(shipment);
        return JsonWriting.Text(shipment, static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("id", s.Id?.Text);
            w.WriteString("order", s.Order);
            w.WriteString("line", s.OrderLine);
            w.WriteString("exporter", s.Exporter);
            w.WriteString("license", s.License);
            w.WriteDate("date", s.Date);
            w.WriteString("from", s.From.Value);
            w.WriteString("to", s.To.Value);
            w.WriteStrings("item", s.Classifications);
            w.WriteString("end_use", Names.Of(s.EndUse));
            w.WriteString("end_user", s.EndUser);
            w.WriteString("consignee", s.Consignee);
            w.WriteBoolean("informed", s.Informed);
            w.WriteStrings("held", s.Held);
            w.WriteAmount("value", s.Value?.Amount, "currency", s.Value?.Currency);
            w.WriteAmount("quantity", s.Quantity?.Amount, "unit", s.Quantity?.Unit);
            if (s.EndUserDecision is { } decision)
            {
                // Only when given, so that the stored form of every other line (compared on a repeated id) stays as it was.
                w.WriteString("end_user_decision", decision == EndUserDecision.Cleared ? "cleared" : "confirmed");
            }

            // These too only when given, for the same reason.
            if (s.ConsigneeDecision is { } consigneeDecision)
            {
                w.WriteString("consignee_decision", consigneeDecision == EndUserDecision.Cleared ? "cleared" : "confirmed");
            }

            if (s.Purchaser is { } purchaser)
            {
                w.WriteString("purchaser", purchaser);
            }

            if (s.IntermediateConsignees is { } intermediates)
            {
                w.WriteStrings("intermediate_consignees", intermediates);
            }

            if (s.Facts is { } facts)
            {
                w.WriteStartObject("facts");
                foreach (var fact in facts.OrderBy(f => f.Key, StringComparer.Ordinal))
                {
                    w.WriteString(fact.Key, fact.Value);
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
        });
    }

    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}

/// <summary>The wire form of a shipment line: <c>{"id","status","reasons","license","determination"}</c>, with <c>history</c> for <c>show</c>.</summary>
public static class ShipmentJson
{
    /// <summary>One submitted line: its record, or its error record.</summary>
    public static void Write(Utf8JsonWriter w, SubmittedLine line)
    {
        ArgumentNullException.ThrowIfNull(w);
        if (line.Record is { } record)
        {
            Write(w, record, history: false, repeated: line.Repeated, differs: line.Differs);
            return;
        }

        ResultJson.WriteError(w, line.Line, line.Id, line.Error!);
    }

    /// <summary>A stored line; its history when <paramref name="history"/>.</summary>
    /// <param name="w">The writer.</param>
    /// <param name="record">The line.</param>
    /// <param name="history">Whether to add its history.</param>
    /// <param name="repeated">Whether it was submitted again (<c>"repeated": true</c>).</param>
    /// <param name="differs">Whether the repeat differs from the line stored (<c>"differs": true</c>).</param>
    public static void Write(Utf8JsonWriter w, ShipmentRecord record, bool history, bool repeated = false, bool differs = false)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(record);
        w.WriteStartObject();
        w.WriteString("id", record.Id);
        w.WriteString("status", record.Status);
        w.WritePropertyName("reasons");
        w.WriteRawValue(record.Reasons, skipInputValidation: true);
        w.WriteString("license", record.License);
        if (repeated)
        {
            w.WriteBoolean("repeated", true);
        }

        if (differs)
        {
            w.WriteBoolean("differs", true);
        }

        w.WritePropertyName("determination");
        record.Determination.WriteTo(w); // a line just submitted: its own part and the shared one, never joined into a string
        if (history)
        {
            w.WriteString("submitted_at", InstantPattern.ExtendedIso.Format(record.SubmittedAt));
            w.WriteStartArray("history");
            foreach (var e in record.History)
            {
                w.WriteStartObject();
                w.WriteString("at", InstantPattern.ExtendedIso.Format(e.At));
                w.WriteString("actor", e.Actor);
                w.WriteString("action", e.Action);
                w.WriteString("status", e.Status);
                w.WriteString("license", e.License);
                w.WriteString("reason", e.Reason);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    /// <summary>The codes of a record's reasons, comma-separated, for tables.</summary>
    public static string ReasonCodes(ShipmentRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return string.Join(", ", JsonNode.Parse(record.Reasons)!.AsArray().Select(r => r?["code"]?.GetValue<string>()).Distinct());
    }

    /// <summary>The reasons in words, one per element, for tables.</summary>
    public static IReadOnlyList<string> ReasonTexts(ShipmentRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return [.. JsonNode.Parse(record.Reasons)!.AsArray().Select(r => string.Join(" ", r!.AsObject()
            .Where(p => p.Value is not null)
            .Select(p => p.Key == "code" ? p.Value!.ToString() : $"{p.Key}={p.Value!.ToJsonString()}")))];
    }
}
