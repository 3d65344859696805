using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Clearance.Screening.Matching;
using Clearance.Store;
using NodaTime;

namespace Clearance.Application;

/// <summary>What a recheck did.</summary>
/// <param name="Lines">Held and released lines evaluated again.</param>
/// <param name="Changes">The lines whose status, licence or reasons changed, old and new, in the order submitted.</param>
/// <param name="PartiesScreened">Distinct parties (name and destination) screened again, against the changed entries only.</param>
/// <param name="EntriesScreened">List entries added or changed since the lines were screened, which those parties were screened against.</param>
/// <param name="LinesCheckedAgain">Lines checked again in full (determination and screening against every entry): their content version changed, a party matched a changed entry, or a hit of theirs was on a changed or removed entry.</param>
/// <param name="Errors">Lines whose stored request could not be checked again (each named), left as they were.</param>
/// <param name="Full">Whether every line was checked again in full (<c>--full</c>).</param>
public sealed record RecheckSummary(int Lines, IReadOnlyList<RecheckChange> Changes, int PartiesScreened, int EntriesScreened, int LinesCheckedAgain, IReadOnlyList<string> Errors, bool Full)
{
    /// <summary>Where the run's time went (<c>--timings</c>), or null.</summary>
    public RecheckPhases? Phases { get; init; }

    /// <summary>The counts in one line, for standard error after an import or a licence change.</summary>
    public string Line() => string.Create(CultureInfo.InvariantCulture,
        $"recheck: {Lines} line(s) rechecked, {Changes.Count} changed; {PartiesScreened} part(y/ies) screened again against {EntriesScreened} added or changed entr(y/ies){(Full ? " (--full: every party against every entry)" : "")}; {LinesCheckedAgain} line(s) checked again in full{(Errors.Count > 0 ? $"; {Errors.Count} line(s) could not be checked again" : "")}");

    /// <summary>The counts as JSON properties (for the command's JSON output).</summary>
    public void WriteCounts(Utf8JsonWriter w)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.WriteNumber("lines_rechecked", Lines);
        w.WriteNumber("changed", Changes.Count);
        w.WriteNumber("parties_screened", PartiesScreened);
        w.WriteNumber("entries_screened", EntriesScreened);
        w.WriteNumber("lines_checked_again", LinesCheckedAgain);
        w.WriteBoolean("full", Full);
        w.WriteStartArray("errors");
        foreach (var e in Errors)
        {
            w.WriteStringValue(e);
        }

        w.WriteEndArray();
    }
}

/// <summary>
/// <c>shipments recheck</c>: every held and released line evaluated again after a content version change, a list import
/// or update, a licence change or a screening decision, and each line whose status, licence or reasons change written
/// whole (status, reasons, drawdown changes, history event and audit record), many lines to a transaction.
/// </summary>
/// <remarks>
/// Screening is incremental. Each line was last screened against the list versions active when it was submitted or last
/// rechecked (the lists' activation history says which); per list, the entries added or changed since are put in a
/// small index, and each distinct party (name and destination) is screened against it alone. A line is checked again in
/// full (with the whole index, as submit does) only when a party of it comes near such an entry, when one of its hits is
/// on an entry that changed or left the list, or when its determination was made with another content version. Every
/// other line keeps its determination and its hits, with today's decisions applied. The small index ranks names by their
/// rarity among its own few entries, not among all, so its threshold is lower than the reporting threshold by
/// <see cref="PrefilterMargin"/>: it only chooses the lines to check in full, and those are judged by the whole index.
/// </remarks>
public sealed class Recheck
{
    private readonly ShipmentStore store;
    private readonly string actor;
    private readonly Func<string> _contentVersion;
    private readonly Func<CheckService> _whole;
    private readonly Func<IReadOnlyCollection<Shipment>, CheckService>? _forShipments;

    /// <summary>A recheck whose check is being built (the content compiled, a third of a second) on another thread.</summary>
    /// <param name="store">The shipments.</param>
    /// <param name="service">The check the lines checked again go through, waited for when first needed: the recheck reads the book and screens parties against the changed entries meanwhile.</param>
    /// <param name="actor">Who rechecks (history and audit).</param>
    public Recheck(ShipmentStore store, Task<CheckService> service, string actor)
    {
        ArgumentNullException.ThrowIfNull(service);
        (this.store, this.actor) = (store, actor);
        _whole = () => service.GetAwaiter().GetResult();
        _contentVersion = () => _whole().Evaluator.Content.Version;
    }

    /// <summary>A recheck with <paramref name="service"/> at hand.</summary>
    /// <param name="store">The shipments.</param>
    /// <param name="service">The check the lines checked again go through.</param>
    /// <param name="actor">Who rechecks (history and audit).</param>
    public Recheck(ShipmentStore store, CheckService service, string actor)
        : this(store, Task.FromResult(service), actor)
    {
    }

    /// <summary>
    /// A recheck that compiles only the content the lines checked again need (<see cref="ContentOnDemand.For"/>): none
    /// when no line is checked again, Japan's rules alone for Japanese exports; <c>--full</c> compiles the whole content
    /// on another thread while the book is read.
    /// </summary>
    /// <param name="store">The shipments.</param>
    /// <param name="content">The content, compiled as far as needed.</param>
    /// <param name="actor">Who rechecks (history and audit).</param>
    public Recheck(ShipmentStore store, ContentOnDemand content, string actor)
    {
        ArgumentNullException.ThrowIfNull(content);
        (this.store, this.actor) = (store, actor);
        _whole = () => content.Whole;
        _contentVersion = () => content.Version;
        _forShipments = content.For;
    }

    /// <summary>
    /// Called once, as soon as a run knows that lines are likely to be checked again in full (<c>--full</c>, or a list
    /// activated since the lines were screened), with the book still to read: a front end starts opening what the first
    /// check waits for there (the CLI opens the screening index on another thread). A run that turns out to check a line
    /// without it having been called calls it before the first check.
    /// </summary>
    public Action? PrepareChecks { get; init; }

    private bool _checksPrepared;

    private void ChecksAhead()
    {
        if (!_checksPrepared)
        {
            _checksPrepared = true;
            PrepareChecks?.Invoke();
        }
    }

    /// <summary>How far below the reporting threshold a party's score against a changed entry sends its lines to a full check.</summary>
    public const double PrefilterMargin = 0.15;

    /// <summary>How many distinct requests a run keeps parsed and checked before it forgets them (a determination is a few kilobytes).</summary>
    private const int RequestsKept = 256;

    /// <summary>A request's check in a run: the line's new evaluation, or the error that left it as it was.</summary>
    private sealed record Checked(string? Error, RecheckedLine? Evaluation);

    /// <summary>A distinct stored request of a run: parsed once, and checked once when a line of it is checked again.</summary>
    private sealed class DistinctRequest(ShipmentLine line)
    {
        /// <summary>The request parsed.</summary>
        public ShipmentLine Line { get; } = line;

        /// <summary>Its check, once made (null before).</summary>
        public Checked? Checked { get; set; }
    }

    private readonly ResultJson _json = new(includeTrace: false);
    private readonly OutputBuffer _determination = OutputBuffer.InMemory();

    /// <summary>Rechecks every held and released line; <paramref name="full"/> checks each again in full (screening every party against every entry).</summary>
    /// <param name="full">Check every line again in full, as submit would.</param>
    /// <param name="changed">Receives each changed line once its transaction has committed.</param>
    public RecheckSummary Run(bool full = false, Action<RecheckChange>? changed = null)
    {
        var phases = new RecheckPhases();
        if (full)
        {
            ChecksAhead();
        }

        if (full && _forShipments is not null)
        {
            // Every line is checked with the whole content: compiled on another thread while the book is read.
            _ = Task.Run(_whole);
        }

        var run = store.BeginRecheck(actor);
        var decisions = store.Decisions.Current();
        var book = store.LicenseBook();
        var decided = decisions.Parties;
        var normalized = new Dictionary<string, string>(StringComparer.Ordinal);
        // No decision at all (the usual book): no name of the lines read is normalised to be looked for among none.
        bool Decided(string? name) =>
            name is not null && decided.Count > 0 && decided.Contains(normalized.TryGetValue(name, out var key) ? key : normalized[name] = ShipmentWorkflow.Normalize(name));
        phases.End("start");
        var (count, lines, suspect, parties, entries) = full
            ? Everything(phases)
            : Incremental(book, decided.Count > 0 ? Decided : null, phases);
        var contentVersion = _contentVersion();
        var reader = new JsonLineReader();
        var changes = new List<RecheckChange>();
        var errors = new List<string>();
        var checkedAgain = 0;

        // Lines with the same stored request (a book repeats its lines: the bench's has 20 of each) get the same check,
        // determination and reasons: each distinct request is parsed, checked and decided once per run. A check depends on
        // the request, the content and the lists, which a run does not change, and on the decisions read at its start.
        // One entry per request text, parsed when first met and checked when a line of it is first checked again. Held
        // for a while only: lines are read in the order submitted, and repeats are mostly near each other.
        var distinct = new Dictionary<string, DistinctRequest>(StringComparer.Ordinal);
        string RequestText(OpenShipment line) => line.Request ?? store.Request(line.Id);
        DistinctRequest Request(string text, ShipmentLine? parsed = null)
        {
            if (!distinct.TryGetValue(text, out var request))
            {
                if (distinct.Count >= RequestsKept)
                {
                    distinct.Clear();
                }

                distinct[text] = request = new DistinctRequest(parsed ?? reader.Read(Encoding.UTF8.GetBytes(text), 1));
            }

            return request;
        }

        // Which lines are checked again is known before any is: with content on demand, their requests are read first
        // and only the jurisdictions that can govern them are compiled (--full compiles everything on another thread).
        var again = new bool[lines.Count];
        var requests = new ShipmentLine?[lines.Count]; // parsed once, however soon the request is forgotten
        var shipments = new List<Shipment>();
        for (var i = 0; i < lines.Count; i++)
        {
            again[i] = full || !lines[i].CurrentContent || suspect(lines[i]);
            if (again[i] && _forShipments is not null && !full)
            {
                var text = RequestText(lines[i]);
                var known = distinct.ContainsKey(text);
                var request = Request(text).Line;
                requests[i] = request;
                if (!known && request.Shipment is { } shipment)
                {
                    shipments.Add(shipment); // a repeated request names no jurisdiction the first did not
                }
            }
        }

        CheckService? service = null;
        CheckService Service()
        {
            if (service is null)
            {
                service = _forShipments is not null && !full
                    ? _forShipments(shipments)
                    : _whole();
                phases.End("content for the lines checked again");
            }

            return service;
        }

        using var writer = store.BeginRecheckWrites(committed: changed);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];

            // Only these can change: a line checked again, one with a party an analyst decided on, one that waits for a
            // licence, one whose licence is no longer granted. The others are not even read (OpenLineFilter) or parsed.
            if (!again[i] && !Decided(line.EndUser) && !Decided(line.Consignee)
                && (line.Purchaser is null && line.IntermediateConsignees is null || !line.Parties().Any(Decided))
                && !(line.License is { } number ? book.State(number) != Licensing.LicenseState.Granted
                    : line.Status == ShipmentStatus.Held && line.Reasons.Contains("\"license-", StringComparison.Ordinal)))
            {
                continue;
            }

            RecheckedLine evaluation;
            if (again[i])
            {
                checkedAgain++;
                if (checkedAgain == 1)
                {
                    ChecksAhead();
                    phases.End("lines");
                    Service();
                }

                var distinctRequest = Request(RequestText(line), requests[i]);
                if (distinctRequest.Checked is not { } done)
                {
                    var request = distinctRequest.Line;
                    CheckedLine Check()
                    {
                        var answer = service!.Check(request);

                        // A line in error under part of the content is checked with all of it: its message names the regimes there are.
                        return answer.Result is null && request.Shipment is not null && _forShipments is not null ? _whole().Check(request) : answer;
                    }

                    var checkedLine = checkedAgain == 1 ? Check() : phases.Time("check", Check); // the first one is a phase of its own
                    distinctRequest.Checked = done = new Checked(checkedLine.Error?.Message, checkedLine.Result is { } result ? Evaluate(checkedLine, result) : null);
                }

                if (done.Evaluation is not { } evaluated)
                {
                    errors.Add($"{line.Id}: {done.Error}");
                    continue;
                }

                evaluation = evaluated;
                if (checkedAgain == 1)
                {
                    phases.End("first check (the screening index opened)");
                }
            }
            else
            {
                evaluation = new RecheckedLine(
                    ScreeningReasons.Reapply(JsonNode.Parse(line.Reasons)!.AsArray(), line.EndUser, line.Consignee, decisions, line.Purchaser, line.IntermediateConsignees),
                    false, null, null, null, contentVersion);
            }

            var change = phases.Time("write", () => writer.Apply(line, evaluation, book, actor, ShipmentWorkflow.Normalize));
            if (change.Changed)
            {
                changes.Add(change);
            }
        }

        writer.Commit();
        phases.End("lines");

        RecheckedLine Evaluate(CheckedLine checkedLine, CheckResult result)
        {
            _determination.Clear();
            _json.Write(checkedLine, _determination);
            var determination = Encoding.UTF8.GetString(_determination.Written).TrimEnd('\n');
            var submission = ShipmentWorkflow.Decide(result, determination, decisions);
            return new RecheckedLine(submission.Reasons, submission.Prohibited, submission.LicenseRequired, submission.Demand, determination, contentVersion);
        }

        var summary = new RecheckSummary(count, changes, parties, entries, checkedAgain, errors, full) { Phases = phases };
        using (var buffer = new MemoryStream())
        {
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                summary.WriteCounts(w);
                w.WriteEndObject();
            }

            store.EndRecheck(run, Encoding.UTF8.GetString(buffer.ToArray()));
        }

        phases.Finish();

        return summary;
    }

    /// <summary>Every held and released line, each to be checked again in full (<c>--full</c>).</summary>
    private (int Count, IReadOnlyList<OpenShipment> Lines, Func<OpenShipment, bool> Suspect, int Parties, int Entries) Everything(RecheckPhases phases)
    {
        var version = _contentVersion();
        phases.End("content (waited for)");
        // The parties the incremental recheck keeps (migration 11) are a superset of the open lines': every line read
        // here, the set is made exact again, the parties of the lines closed since dropped.
        var mark = store.KeepRecheckParties();
        var lines = store.OpenLines(version, withRequests: true);
        phases.End("read lines");
        store.CompactRecheckParties(mark, lines);
        phases.End("kept parties compacted");
        return (lines.Count, lines, _ => true, 0, 0);
    }

    /// <summary>
    /// The number of held and released lines; of them, the lines that something may have changed (read from the database
    /// by <see cref="OpenLineFilter"/>: every other line is not even read); and which of those to check again in full
    /// because of list changes, with the number of distinct parties screened against the changed entries and the number
    /// of those entries.
    /// </summary>
    /// <remarks>
    /// Each line was screened against the list versions active at its <see cref="OpenShipment.EvaluatedAt"/>, which is
    /// at or after the earliest instant <see cref="ShipmentStore.OpenLineSummary"/> gives (with the distinct parties); the versions change only at activations, so the
    /// versions at that instant and at each activation after it are every set of versions a line can have been screened
    /// against. The entries added or changed since any of them go into one small index, and each distinct party of the
    /// open lines is screened against it once. Only the lines of parties near such an entry are read (with the lines
    /// something else may have changed), and each of them is a suspect when a party is near an entry changed since its
    /// own versions, or one of its hits is on an entry that changed or left the list since them.
    /// </remarks>
    private (int Count, IReadOnlyList<OpenShipment> Lines, Func<OpenShipment, bool> Suspect, int Parties, int Entries) Incremental(
        LicenseBook book, Func<string?, bool>? decided, RecheckPhases phases)
    {
        var activations = store.ListActivations();
        var (count, earliestEvaluation, openParties) = store.OpenLineSummary(activations);
        if (earliestEvaluation is { } screenedAt && activations.Any(a => a.At > screenedAt))
        {
            ChecksAhead(); // a list changed since some line was screened: its parties near a changed entry are checked again
        }

        phases.End("summary");
        var active = store.ActiveListVersions();
        var lists = active.Keys.Union(activations.Select(a => a.ListId)).Order(StringComparer.Ordinal).ToList();

        // Lines screened as of the same versions share a diff: one per distinct set of versions. Classes and arrays, not
        // tuples and nullable values in dictionaries and LINQ: each such instantiation was compiled at run time in every
        // recheck's process.
        var diffs = new Dictionary<string, ListDiff>(StringComparer.Ordinal);
        var current = new Dictionary<string, HashSet<EntityRef>>(StringComparer.Ordinal); // per stored list, entries to screen against
        // Two locals, not a nullable tuple of an Instant: such an instantiation was compiled at run time in every process.
        var lastAt = default(Instant);
        ListDiff? lastDiff = null;
        ListDiff Diff(Instant at)
        {
            // The lines read ask in the order submitted, and most share their instant (the last run's start, a batch's
            // submission): the last answer is kept, so that the versions and their key are not made again for each line.
            if (lastDiff is null || lastAt != at)
            {
                (lastAt, lastDiff) = (at, DiffOfVersions(at));
            }

            return lastDiff;
        }

        ListDiff DiffOfVersions(Instant at)
        {
            var versions = VersionsAt(activations, lists, at);
            var key = new StringBuilder();
            for (var l = 0; l < lists.Count; l++)
            {
                key.Append(l == 0 ? "" : ",").Append(lists[l]).Append(':').Append(versions[l]?.ToString(CultureInfo.InvariantCulture));
            }

            var versionsKey = key.ToString(); // once: every line's suspicion asks for its diff
            if (diffs.TryGetValue(versionsKey, out var diff))
            {
                return diff;
            }

            diff = new ListDiff([], []);
            for (var l = 0; l < lists.Count; l++)
            {
                var list = lists[l];
                int? to = active.TryGetValue(list, out var v) ? v : null;
                if (versions[l] == to)
                {
                    continue;
                }

                var (added, gone) = store.EntityDiff(list, versions[l], to);
                diff.Current.UnionWith(added);
                diff.Former.UnionWith(gone);
                if (!current.TryGetValue(list, out var set))
                {
                    current[list] = set = [];
                }

                set.UnionWith(added);
            }

            return diffs[versionsKey] = diff;
        }

        if (earliestEvaluation is not { } earliest)
        {
            return (count, [], _ => false, 0, 0);
        }

        Diff(earliest);
        foreach (var a in activations)
        {
            if (a.At > earliest)
            {
                Diff(a.At);
            }
        }

        // A list with no version at a line's instant and one now was loaded for the first time since: the line's
        // determination may be indeterminate for want of it (an end user that could not be screened).
        bool ListLoadedSince(Instant at)
        {
            var versions = VersionsAt(activations, lists, at);
            for (var l = 0; l < lists.Count; l++)
            {
                if (versions[l] is null && active.ContainsKey(lists[l]))
                {
                    return true;
                }
            }

            return false;
        }

        var anyLoaded = ListLoadedSince(earliest);
        var (anyAdded, anyGone) = (false, false);
        foreach (var d in diffs.Values)
        {
            anyAdded |= d.Current.Count > 0;
            anyGone |= d.Former.Count > 0;
        }

        phases.End("list diff");
        var entities = new List<Clearance.Screening.ListEntity>();
        if (anyAdded)
        {
            foreach (var (list, refs) in current)
            {
                entities.AddRange(store.ActiveEntities(list, refs));
            }
        }

        phases.End("changed entries read");
        var index = entities.Count == 0 ? null : ScreeningIndex.Build(entities);
        phases.End("small index");
        // Only the parties near a changed entry are kept with their entries: nearly every party is near none, and a set
        // and two enumerators were allocated for each of them all the same (a party absent here is near nothing).
        var near = new Dictionary<string, Dictionary<string, HashSet<EntityRef>>>(StringComparer.Ordinal); // by name, then destination
        var screened = 0;
        var read = new HashSet<string>(StringComparer.Ordinal); // the parties whose lines are read
        var parties = index is not null || decided is not null ? openParties : [];
        var nearEntries = index is null ? null : ScreenParties(index, parties);
        for (var p = 0; p < parties.Count; p++)
        {
            var party = parties[p];
            if (nearEntries is not null)
            {
                screened++; // the kept parties are distinct (ShipmentStore.OpenLineSummary)
                var matches = nearEntries[p];
                if (matches.Count > 0)
                {
                    var found = new HashSet<EntityRef>();
                    foreach (var match in matches)
                    {
                        foreach (var listing in match.Listings)
                        {
                            found.Add(new EntityRef(listing.ListId, listing.EntityId));
                        }
                    }

                    if (!near.TryGetValue(party.Name, out var byDestination))
                    {
                        near[party.Name] = byDestination = new Dictionary<string, HashSet<EntityRef>>(StringComparer.Ordinal);
                    }

                    byDestination[party.Destination] = found;
                    if (found.Count > 0)
                    {
                        read.Add(party.Name);
                    }
                }
            }

            if (decided?.Invoke(party.Name) == true)
            {
                read.Add(party.Name);
            }
        }

        phases.End("parties");
        var version = _contentVersion();
        phases.End("content (waited for)");

        // With the requests: most of the lines read are checked again, and one query is cheaper than one a line.
        var lines = store.OpenLines(version, withRequests: true, filter: new OpenLineFilter(read, book.Granted(), anyGone, anyLoaded));
        phases.End("read lines");
        bool Suspect(OpenShipment line)
        {
            var diff = Diff(line.EvaluatedAt);
            var (now, before) = (diff.Current, diff.Former);
            var suspect = false;
            foreach (var name in line.Parties())
            {
                suspect |= now.Count > 0 && near.TryGetValue(name, out var byDestination) && byDestination.TryGetValue(line.Destination, out var entries) && AnyIn(entries, now);
            }

            // A hit on an entry that changed or left the list (any listing of the party): screened again in full, whatever the small index says.
            suspect |= anyLoaded && line.Reasons.Contains("\"indeterminate\"", StringComparison.Ordinal) && ListLoadedSince(line.EvaluatedAt);
            return suspect || (before.Count > 0 && line.Reasons.Contains("\"entity\"", StringComparison.Ordinal) && MayName(line.Reasons, before) && NamesAny(line.Reasons, before));
        }

        return (count, lines, Suspect, screened, entities.Count);
    }

    /// <summary>
    /// Each party screened against the small index of changed entries, below the reporting threshold by
    /// <see cref="PrefilterMargin"/>: in halves on two threads (the index is safe to share; each thread has its own
    /// scratch), each party's matches at its own position, so the order the caller reads them in is the parties' own.
    /// Thousands of parties cost ~20-30 ms of CPU, on the critical path of the run.
    /// </summary>
    internal static IReadOnlyList<ScreeningMatch>[] ScreenParties(ScreeningIndex index, IReadOnlyList<(string Name, string Destination)> parties)
    {
        var matches = new IReadOnlyList<ScreeningMatch>[parties.Count];
        void Screen(int from, int to)
        {
            for (var p = from; p < to; p++)
            {
                matches[p] = index.Screen(new ScreeningQuery(parties[p].Name, parties[p].Destination, Threshold: ScreeningIndex.DefaultThreshold - PrefilterMargin, Limit: 100));
            }
        }

        var half = parties.Count / 2;
        if (half < 64)
        {
            Screen(0, parties.Count); // a few parties: not worth a second thread
            return matches;
        }

        var second = Task.Run(() => Screen(half, parties.Count));
        Screen(0, half);
        second.GetAwaiter().GetResult();
        return matches;
    }

    /// <summary>
    /// Whether any of <paramref name="few"/> (the entries near one party: a handful) is in <paramref name="many"/> (every
    /// entry changed since a line's versions: hundreds after an update). <see cref="HashSet{T}.Overlaps"/> of the few
    /// with the many looks up each of the many in the few; this looks up each of the few in the many, for every party of
    /// every line read (docs/benchmarks.md, branch recheck-warm22).
    /// </summary>
    internal static bool AnyIn(HashSet<EntityRef> few, HashSet<EntityRef> many)
    {
        foreach (var entry in few)
        {
            if (many.Contains(entry))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// False only when no reason of <paramref name="reasons"/> can name one of <paramref name="entries"/>: none of their
    /// entity ids is written there as a JSON string. An id of letters, digits, '-', '_' and '.' is written as it is (the
    /// JSON writer escapes none of them), so a reason naming it holds it in quotes; an id with any other character is
    /// assumed present. Most lines read have hits on entries other than the few that changed or left, and are then not
    /// parsed at all (<see cref="Names"/> parses the reasons as a document).
    /// </summary>
    internal static bool MayName(string reasons, HashSet<EntityRef> entries)
    {
        foreach (var entry in entries)
        {
            var id = entry.EntityId;
            if (id.Length == 0 || id.AsSpan().ContainsAnyExcept(PlainIdCharacters))
            {
                return true;
            }

            for (var at = reasons.IndexOf(id, StringComparison.Ordinal); at >= 0; at = reasons.IndexOf(id, at + 1, StringComparison.Ordinal))
            {
                if (at > 0 && reasons[at - 1] == '"' && at + id.Length < reasons.Length && reasons[at + id.Length] == '"')
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static readonly System.Buffers.SearchValues<char> PlainIdCharacters =
        System.Buffers.SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_.");

    /// <summary>Whether a stored reason of <paramref name="reasons"/> (or one of its listings) names one of <paramref name="entries"/>: the reasons parsed as a document.</summary>
    internal static bool NamesAny(string reasons, HashSet<EntityRef> entries) => JsonNode.Parse(reasons)!.AsArray()
        .Any(r => Names(r, entries) || (r?["listings"] is JsonArray listings && listings.Any(l => Names(l, entries))));

    /// <summary>Whether a stored reason (or one of its listings) names one of <paramref name="entries"/> by its list and entity.</summary>
    private static bool Names(JsonNode? reason, HashSet<EntityRef> entries) =>
        reason?["list"] is { } l && reason["entity"] is { } e && entries.Contains(new EntityRef(l.GetValue<string>(), e.GetValue<string>()));

    /// <summary>The version of each of <paramref name="lists"/> (in its order) that was active at <paramref name="at"/> (null: none yet).</summary>
    private static int?[] VersionsAt(IReadOnlyList<ListActivationTime> activations, List<string> lists, Instant at)
    {
        var versions = new int?[lists.Count];
        foreach (var a in activations)
        {
            if (a.At <= at)
            {
                versions[lists.IndexOf(a.ListId)] = a.VersionNo; // every activation's list is among them
            }
        }

        return versions;
    }

    /// <summary>The entries added or changed (<paramref name="Current"/>) and changed or removed (<paramref name="Former"/>) since a set of list versions.</summary>
    private sealed record ListDiff(HashSet<EntityRef> Current, HashSet<EntityRef> Former);
}
