using System.Collections.Concurrent;
using System.Data.Common;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Clearance.Audit;
using Clearance.Licensing;
using NodaTime;
using Npgsql;

namespace Clearance.Store;

/// <summary>One line of a batch submitted: what was recorded, or why nothing was.</summary>
/// <param name="Result">The line as recorded (or as stored before, for a repeated id); null when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why nothing was recorded for the line (an assigned licence that does not exist or cannot cover it).</param>
public readonly record struct SubmitOutcome(SubmitResult? Result, ShipmentStoreException? Error);

/// <summary>
/// A line to submit with what its rows take from it alone worked out ahead (<see cref="ShipmentStore.Prepare"/>): the
/// determination cut into the line's own part and the shared part's key, the parties for <c>shipment_facts</c>, the
/// demand's JSON, and the reasons, status and audit outputs a line has when it draws on no licence (or when its draw
/// covers it). A batch's transaction is the bottleneck of a submit, and none of this needs it: preparing a line on the
/// thread that checks the lines leaves the writer only the licence choice, the chain's hash and the rows.
/// </summary>
public sealed class PreparedSubmission
{
    internal PreparedSubmission(ShipmentSubmission submission, Func<ReadOnlySpan<char>, DeterminationText> split, ShipmentStore.LicenceSnapshot? licences)
    {
        Submission = submission;
        Determination = submission.Determination.IsCut ? submission.Determination : split(submission.Determination.Text);
        // The parties as the caller has them (the workflow: the shipment's fields), else read from the request's JSON.
        Parties = submission.Parties ?? ShipmentParties.Read(submission.Request);
        Demand = submission.Demand is { } demand ? ShipmentStore.DemandJson.Write(demand) : null;
        // The reasons are written as they are, not cloned into a JsonArray first (the same text).
        JsonObject? added = null;
        if (submission.Prohibited)
        {
            Status = ShipmentStatus.Rejected;
        }
        else
        {
            // The draw happens only when nothing else holds the line; a licence it finds leaves the reasons as they are.
            var open = submission.Reasons.Any(ShipmentReasons.IsOpen);
            Draws = submission is { LicenseRequired: not null, Demand: not null } && !open;
            if (submission.LicenseRequired is { } required && !Draws)
                added = required;
            Status = open || (added is not null && ShipmentReasons.IsOpen(added)) ? ShipmentStatus.Held : ShipmentStatus.Released;
        }

        Reasons = ShipmentStore.ReasonsJson(submission.Reasons, added);
        // A line that draws has its outputs written by the batch, with the licence drawn (or refused): none made here.
        UndrawnOutputs = Draws ? null : ShipmentStore.SubmitOutputs(Status, null, Reasons, Determination.Own);
        // The licences the draw looks at first, and how each fits but for its balance, against the licences the last
        // batch read: the batch uses them when its licences are still those (LicenceSnapshot is immutable but for its
        // thread-safe name cache), and works them out again otherwise.
        if (Draws && licences is not null && submission is { License: null, Demand: { Exporter: not null } drawn })
        {
            Licences = licences;
            First = licences.First(null, drawn);
            // A line that none of its candidates covers but for a balance is refused whatever the balances: its closest
            // licence, reasons and audit outputs are worked out here, and the batch only writes them (when its licences
            // are still these), as it writes a line that draws nothing.
            if (licences.Refusal(First, drawn) is { } refusal)
            {
                RefusedReasons = ShipmentStore.RefusedReasonsJson(submission.Reasons, submission.LicenseRequired!,
                    new DrawResult(refusal.Closest, refusal.Fit, null, null), drawn);
                RefusedOutputs = ShipmentStore.SubmitOutputs(ShipmentStatus.Held, null, RefusedReasons, Determination.Own);
            }
        }
    }

    /// <summary>The line as the check decided it.</summary>
    public ShipmentSubmission Submission { get; }

    /// <summary>The determination cut into the line's own part and the shared part (with its key).</summary>
    internal DeterminationText Determination { get; }

    /// <summary>The request's parties, destination and requested licence.</summary>
    internal ShipmentParties Parties { get; }

    /// <summary>The demand as stored with the line, or null.</summary>
    internal string? Demand { get; }

    /// <summary>Whether the line draws on a licence (one is required, nothing else holds it).</summary>
    internal bool Draws { get; }

    /// <summary>The status when the line draws nothing, or when its draw covers it.</summary>
    internal string Status { get; }

    /// <summary>The reasons (JSON) when the line draws nothing, or when its draw covers it.</summary>
    internal string Reasons { get; }

    /// <summary>The audit record's outputs (without the shared part) when the line draws nothing; null exactly when it draws (<see cref="Draws"/>).</summary>
    internal string? UndrawnOutputs { get; }

    /// <summary>The licences <see cref="First"/> was worked out against, or null.</summary>
    internal ShipmentStore.LicenceSnapshot? Licences { get; }

    /// <summary>The licences the draw looks at first with their fits (<see cref="ShipmentStore.LicenceSnapshot.First"/>), or null.</summary>
    internal ShipmentStore.FittedLicences? First { get; }

    /// <summary>
    /// The reasons (JSON) of a line <see cref="Licences"/> cannot cover whatever their balances
    /// (<see cref="ShipmentStore.LicenceSnapshot.Refusal"/>), or null: the line is held with them and draws nothing.
    /// </summary>
    internal string? RefusedReasons { get; }

    /// <summary>The audit record's outputs (without the shared part) of the line held with <see cref="RefusedReasons"/>, or null.</summary>
    internal string? RefusedOutputs { get; }
}

/// <summary>The batched submit: many lines in one transaction, each line still wholly recorded or absent.</summary>
public sealed partial class ShipmentStore
{
    /// <summary>How often a batch whose transaction the server aborted (deadlock, serialisation failure) is replayed.</summary>
    private const int Attempts = 5;

    /// <summary>How many shared determination parts and their keys are remembered at most (the benchmark's book has 217).</summary>
    private const int SharedRemembered = 10_000;

    /// <summary>A balance that never limits: a licence's fit with it is its fit but for its balance (the balance is the last test).</summary>
    private static readonly LicenseBalance Unlimited = new(0, 0, null, null);

    private LicenceSnapshot? _licenceSnapshot;

    /// <summary>The rows of the last batch written, emptied, for the next batch to fill (<see cref="SubmitRows"/>), or null while one uses them.</summary>
    private SubmitRows? _idleRows;

    /// <summary>The ledger's sums per licence as the last batch committed them (SQLite), or null: see <see cref="LedgerSums"/>.</summary>
    private LedgerSums? _ledgerSums;

    /// <summary>
    /// Shared determination parts already hashed, by their text: most lines share one, and hashing a kilobyte each time
    /// costs; and the lines that share one hold this one instance of it (<see cref="Split"/>).
    /// </summary>
    private readonly ConcurrentDictionary<string, SharedPart> _sharedKeys = new(StringComparer.Ordinal);

    /// <summary>Keys of shared parts this store has seen committed: not written again.</summary>
    private readonly ConcurrentDictionary<string, bool> _sharedStored = new(StringComparer.Ordinal);

    /// <summary>
    /// <paramref name="determination"/> cut into the line's own part (a new string) and its shared part: the instance
    /// this store holds for that text, with its key (<see cref="SharedDetermination.Key"/>) and UTF-8, made the first time
    /// the text is seen. Call it on the thread that checks the lines, with the determination in a reused buffer: no
    /// string of the whole determination is made.
    /// </summary>
    public DeterminationText Split(ReadOnlySpan<char> determination)
    {
        var at = SharedDetermination.SharedStart(determination);
        return new DeterminationText(new string(determination[..at]), Shared(determination[at..]));
    }

    /// <summary>The shared part of that text, remembered (looked up by the span: no string is made for a part seen before).</summary>
    private SharedPart Shared(ReadOnlySpan<char> shared)
    {
        var lookup = _sharedKeys.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(shared, out var part))
            return part;
        if (_sharedKeys.Count >= SharedRemembered)
            _sharedKeys.Clear();
        var text = shared.ToString();
        return _sharedKeys.GetOrAdd(text, new SharedPart(text, SharedDetermination.Key(shared), Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>Remembers <paramref name="keys"/> as committed.</summary>
    private void SharedCommitted(IEnumerable<string> keys)
    {
        if (_sharedStored.Count >= SharedRemembered)
            _sharedStored.Clear();
        foreach (var key in keys)
            _sharedStored.TryAdd(key, true);
    }

    /// <summary>
    /// Records <paramref name="submissions"/> in one transaction: for each line, in order, what
    /// <see cref="Submit(ShipmentSubmission, string, Func{string, string})"/> records for it (status, reasons, drawdown,
    /// history event, audit records), or, for a line whose assigned licence does not exist or cannot cover it, an error
    /// and nothing written for that line while the others go on. An id given twice (also twice in the batch) is
    /// recorded once and drawn once; the repeat returns the stored line and is audited.
    /// </summary>
    /// <remarks>
    /// Why it is fast and still safe. The transaction first takes the workflow's lock (<see cref="AuditTrail.Lock"/>:
    /// SQLite's write lock, PostgreSQL's advisory lock, which every workflow writer takes first), so nothing else writes
    /// licences, ledger or audit until it commits; the chain's head, the licences (reloaded only when a licence was added
    /// or changed state since the last batch) and each drawn licence's balance (read once, under its row lock on
    /// PostgreSQL) are then kept in memory, the lines are decided there, and their rows are written together: prepared
    /// statements on SQLite, one statement per table on PostgreSQL. A line that fails is refused before it writes
    /// anything; a database error (a line the database refuses) replays the batch with a savepoint per line, so that the
    /// error is found at its line; a deadlock or serialisation failure (40P01, 40001) replays the batch.
    /// Results are returned only once the transaction committed.
    /// </remarks>
    public IReadOnlyList<SubmitOutcome> Submit(IReadOnlyList<ShipmentSubmission> submissions, string actor, Func<string, string> normalize)
    {
        ArgumentNullException.ThrowIfNull(submissions);
        return Submit([.. submissions.Select(Prepare)], actor, normalize);
    }

    /// <summary>
    /// What <see cref="Submit(IReadOnlyList{ShipmentSubmission}, string, Func{string, string})"/> derives from a line alone,
    /// worked out now: call it on the thread that checks the lines, so that the batch's transaction does less.
    /// </summary>
    public PreparedSubmission Prepare(ShipmentSubmission submission)
    {
        ArgumentNullException.ThrowIfNull(submission);
        return new PreparedSubmission(submission, Split, Volatile.Read(ref _licenceSnapshot));
    }

    /// <summary>
    /// <see cref="Submit(IReadOnlyList{ShipmentSubmission}, string, Func{string, string})"/> of lines prepared by
    /// <see cref="Prepare"/> (of this store).
    /// </summary>
    public IReadOnlyList<SubmitOutcome> Submit(IReadOnlyList<PreparedSubmission> submissions, string actor, Func<string, string> normalize)
    {
        ArgumentNullException.ThrowIfNull(submissions);
        ArgumentNullException.ThrowIfNull(normalize);
        if (submissions.Count == 0)
            return [];
        var careful = false;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var connection = _provider.Open();
                return new SubmitBatch(this, connection, actor, normalize, careful, submissions.Count).Run(submissions);
            }
            catch (Exception e) when (attempt < Attempts && (e is LicencesChangedException || e is PostgresException { SqlState: "40001" or "40P01" }))
            {
                // Rolled back whole: replayed from the start, with the licences read again.
                _licenceSnapshot = null;
            }
            catch (DbException) when (!careful)
            {
                careful = true; // find the line the database refuses: a savepoint per line
            }
        }
    }

    /// <summary>The stored lines among <paramref name="ids"/>, with their history.</summary>
    private Dictionary<string, ShipmentRecord> LoadMany(DbConnection connection, DbTransaction transaction, IReadOnlyCollection<string> ids)
    {
        // One array parameter (SQLite: a JSON array), not a parameter per id: SQLite finds a named parameter by a linear
        // search, so a thousand of them cost more than the query.
        var postgres = _provider is NpgsqlProvider;
        var rows = PlainCommand.Query(connection,
            postgres ? SelectLines + " WHERE s.id = ANY(@ids)" : SelectLines + " WHERE s.id IN (SELECT value FROM json_each(@ids))",
            transaction, Row.Read, ("ids", postgres ? ids.ToArray() : JsonSerializer.Serialize(ids, StoreJson.Default.IReadOnlyCollectionString)));
        if (rows.Count == 0)
            return new Dictionary<string, ShipmentRecord>(ids.Count, StringComparer.Ordinal); // a batch's writer adds each of its lines
        var found = rows.Select(r => r.Id).ToArray();
        var events = PlainCommand.Query(connection,
            "SELECT " + EventRow.Columns + (postgres
                ? " FROM shipment_events WHERE shipment = ANY(@found) ORDER BY id"
                : " FROM shipment_events WHERE shipment IN (SELECT value FROM json_each(@found)) ORDER BY id"),
            transaction, EventRow.Read, ("found", postgres ? found : JsonSerializer.Serialize(found, StoreJson.Default.StringArray)))
            .ToLookup(e => e.Shipment, e => e.ToEvent());
        var stored = new Dictionary<string, ShipmentRecord>(ids.Count, StringComparer.Ordinal);
        foreach (var r in rows)
            stored.Add(r.Id, r.ToRecord([.. events[r.Id]]));
        return stored;
    }

    /// <summary>The licences as last read, or read now when one was added or changed state since (or none were read yet).</summary>
    private LicenceSnapshot Licences(DbConnection connection, DbTransaction transaction, Func<string, string> normalize)
    {
        var mark = LicenseStore.Mark(connection, transaction);
        if (_licenceSnapshot is { } known && known.Mark == mark && known.Normalize.Equals(normalize))
            return known;
        var (licences, loadedMark) = LicenseStore.LoadAll(connection, transaction);
        var snapshot = new LicenceSnapshot(licences, loadedMark, normalize);
        Volatile.Write(ref _licenceSnapshot, snapshot); // read by Prepare on the checking thread
        return snapshot;
    }

    /// <summary>
    /// The ledger's sums (in ten-thousandths) of the licences a committed batch read or drew on, and the ledger's last
    /// sequence when it committed (<paramref name="Mark"/>). The next batch takes them as they are when the ledger's last
    /// sequence is still <paramref name="Mark"/>: on SQLite every ledger entry (a draw, a reversal, by any process) takes
    /// a new, higher AUTOINCREMENT sequence, and a batch reads the mark under the database's write lock, so an unchanged
    /// mark means an unchanged ledger. Without them each batch summed the whole ledger of every licence it drew on
    /// again: a cost that grew with the ledger, batch after batch (about 1.5 million ledger rows read for the
    /// 100,000-line book). Immutable: replaced whole after each commit.
    /// </summary>
    /// <param name="Mark">The ledger's last sequence at the commit.</param>
    /// <param name="Sums">The sums by licence number.</param>
    private sealed record LedgerSums(long Mark, IReadOnlyDictionary<string, (long Quantity, long Value)> Sums);

    /// <summary>A licence that changed state while a batch held its lock (only possible with a writer that does not take the workflow's lock first).</summary>
    private sealed class LicencesChangedException() : Exception("a licence changed during the batch");

    /// <summary>
    /// The licences of the database at one moment, indexed for the draw: the granted ones of each jurisdiction in number
    /// order, the same for each (jurisdiction, normalised holder) and for each (jurisdiction, normalised holder, item in
    /// scope), so that a line looks only at its exporter's licences for its items unless none of them comes close.
    /// Names are normalised once each (the normalisation is costly).
    /// </summary>
    internal sealed class LicenceSnapshot
    {
        /// <summary>How many (holder, items) candidate lists are remembered at most (the benchmark's book has a few dozen).</summary>
        private const int FirstRemembered = 10_000;

        private readonly Dictionary<string, License[]> _granted;
        private readonly Dictionary<(string, string), License[]> _grantedByHolder;
        private readonly Dictionary<(string, string, string), License[]> _grantedByItem;
        private readonly Dictionary<License, int> _position = new(ReferenceEqualityComparer.Instance);
        private readonly ConcurrentDictionary<string, string> _names = new(StringComparer.Ordinal);

        /// <summary>
        /// The licences' own party names (holders, consignees, end users) normalised, by the string itself: a licence's fit
        /// looks them up for every line, and finding them by reference spares hashing the name each time. Filled in the
        /// constructor, read only after: safe from both threads.
        /// </summary>
        private readonly Dictionary<string, string> _licenceNames = new(ReferenceEqualityComparer.Instance);
        private readonly ConcurrentDictionary<FirstKey, License[]> _firstByItems = new();

        public LicenceSnapshot(IReadOnlyList<License> licences, (long, long) mark, Func<string, string> normalize)
        {
            Mark = mark;
            Normalize = normalize;
            ByNumber = licences.ToDictionary(l => l.Number, StringComparer.Ordinal);
            var granted = licences.Where(l => l.State == LicenseState.Granted).ToList(); // the automatic assignment's candidates
            _granted = granted.GroupBy(l => l.Jurisdiction, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.OrdinalIgnoreCase);
            _grantedByHolder = granted.GroupBy(l => (l.Jurisdiction.ToUpperInvariant(), Name(l.Holder)))
                .ToDictionary(g => g.Key, g => g.ToArray());
            // A licence without items in its scope covers every item: it is listed under "".
            _grantedByItem = granted
                .SelectMany(l => (l.Scope.Items.Count == 0 ? [""] : l.Scope.Items.Select(i => i.ToUpperInvariant())).Distinct().Select(i => (Key: (l.Jurisdiction.ToUpperInvariant(), Name(l.Holder), i), License: l)))
                .GroupBy(x => x.Key, x => x.License)
                .ToDictionary(g => g.Key, g => g.ToArray());
            for (var i = 0; i < licences.Count; i++)
                _position[licences[i]] = i;
            foreach (var licence in licences)
            {
                foreach (var name in licence.Scope.Consignees.Concat(licence.Scope.EndUsers).Append(licence.Holder))
                    _licenceNames[name] = _names.GetOrAdd(name, Normalize);
            }
        }

        public (long, long) Mark { get; }

        public Func<string, string> Normalize { get; }

        public Dictionary<string, License> ByNumber { get; }

        /// <summary>The normalisation, remembered (5,000 parties in a book of 100,000 lines).</summary>
        public string Name(string name) => _licenceNames.TryGetValue(name, out var known) ? known : _names.GetOrAdd(name, Normalize);

        public License[] Granted(string jurisdiction) => _granted.GetValueOrDefault(jurisdiction) ?? [];

        public License[] Granted(string jurisdiction, string normalizedHolder) =>
            _grantedByHolder.GetValueOrDefault((jurisdiction.ToUpperInvariant(), normalizedHolder)) ?? [];

        /// <summary>
        /// The holder's granted licences whose scope takes one of <paramref name="items"/> (or any item), in number order:
        /// the only ones of the holder that can fit a line better than <see cref="LicenseFit.ItemOutOfScope"/>.
        /// </summary>
        public License[] Granted(string jurisdiction, string normalizedHolder, IReadOnlyList<string> items)
        {
            // Remembered: the lines of a book name few (holder, items) pairs, and the list is built and sorted each time.
            // Looked up by the line's own strings and list (no key text is made a line); a key kept copies the list.
            if (_firstByItems.TryGetValue(new FirstKey(jurisdiction, normalizedHolder, items), out var known))
                return known;
            if (_firstByItems.Count >= FirstRemembered)
                _firstByItems.Clear();
            var key = jurisdiction.ToUpperInvariant();
            var found = new List<License>(_grantedByItem.GetValueOrDefault((key, normalizedHolder, "")) ?? []);
            foreach (var item in items)
            {
                foreach (var license in _grantedByItem.GetValueOrDefault((key, normalizedHolder, item.ToUpperInvariant())) ?? [])
                {
                    if (!found.Contains(license))
                        found.Add(license);
                }
            }

            found.Sort((a, b) => _position[a].CompareTo(_position[b]));
            return _firstByItems[new FirstKey(jurisdiction, normalizedHolder, [.. items])] = [.. found];
        }

        /// <summary>A (jurisdiction, holder, items) key of <see cref="Granted(string, string, IReadOnlyList{string})"/>'s lists, compared ordinally item by item.</summary>
        private readonly struct FirstKey(string jurisdiction, string holder, IReadOnlyList<string> items) : IEquatable<FirstKey>
        {
            private readonly string _jurisdiction = jurisdiction;
            private readonly string _holder = holder;
            private readonly IReadOnlyList<string> _items = items;

            public bool Equals(FirstKey other)
            {
                return string.Equals(_jurisdiction, other._jurisdiction, StringComparison.Ordinal)
                    && string.Equals(_holder, other._holder, StringComparison.Ordinal) && OrdinalListComparer.Instance.Equals(_items, other._items);
            }

            public override bool Equals(object? obj) => obj is FirstKey other && Equals(other);

            public override int GetHashCode()
            {
                var hash = new HashCode();
                hash.Add(_jurisdiction, StringComparer.Ordinal);
                hash.Add(_holder, StringComparer.Ordinal);
                hash.Add(_items, OrdinalListComparer.Instance);
                return hash.ToHashCode();
            }
        }

        /// <summary>The licences a line's draw tries first: the one assigned, or the exporter's for the line's items (see <see cref="SubmitBatch"/>'s Draw).</summary>
        public License[] FirstCandidates(string? number, LicenseDemand demand) =>
            number is not null ? (ByNumber.TryGetValue(number, out var assigned) ? [assigned] : [])
            : demand.Exporter is { } exporter ? Granted(demand.Jurisdiction, Name(exporter), demand.Items)
            : Granted(demand.Jurisdiction);

        /// <summary><see cref="FirstCandidates"/> with how each fits the line but for its balance.</summary>
        public FittedLicences First(string? number, LicenseDemand demand) => Fitted(FirstCandidates(number, demand), demand);

        /// <summary>
        /// The draw's search for a line with an exporter and no assigned licence, past its first candidates: step 1 the
        /// holder's granted licences, when the closest so far (<paramref name="closest"/>) fits no better than
        /// item-out-of-scope; step 2 the jurisdiction's, when no better than wrong-holder; null when the search stops there.
        /// Another holder's licence can only be wrong-type or wrong-holder, and the holder's licences for other items at
        /// best item-out-of-scope: when the closer ones come closer than that, the others need not be looked at (the choice
        /// and the closest licence named are the same as when every candidate is tried). Both the writer's draw and
        /// <see cref="Refusal"/> walk it, so that they search alike.
        /// </summary>
        public FittedLicences? Wider(int step, LicenseFit closest, LicenseDemand demand) => step switch
        {
            1 when closest <= LicenseFit.ItemOutOfScope => Fitted(Granted(demand.Jurisdiction, Name(demand.Exporter!)), demand),
            2 when closest <= LicenseFit.WrongHolder => Fitted(Granted(demand.Jurisdiction), demand),
            _ => null,
        };

        /// <summary>
        /// For a line with an exporter and no assigned licence, whose first candidates are <paramref name="first"/>: the
        /// closest licence's number and its fit when no licence the draw looks at (<see cref="Wider"/>) covers the line
        /// but for its balance (then the draw's answer does not depend on any balance), or null when one does.
        /// </summary>
        public (string? Closest, LicenseFit Fit)? Refusal(FittedLicences first, LicenseDemand demand)
        {
            if (!Refused(first, out var closest, out var fit))
                return null;
            for (var step = 1; Wider(step, fit, demand) is { } wider; step++)
            {
                if (!Refused(wider, out closest, out fit))
                    return null;
            }

            return (closest?.Number, fit);
        }

        /// <summary>
        /// Whether none of <paramref name="fitted"/> covers the line but for its balance; then the closest licence as the
        /// draw names it (the first, in number order, with the most telling fit) and that fit (wrong-type when there is none).
        /// </summary>
        private static bool Refused(FittedLicences fitted, out License? closest, out LicenseFit fit)
        {
            (closest, fit) = (null, LicenseFit.WrongType);
            for (var i = 0; i < fitted.Fits.Length; i++)
            {
                var candidate = fitted.Fits[i];
                if (candidate == LicenseFit.Covers)
                    return false;
                if (closest is null || candidate > fit)
                    (closest, fit) = (fitted.Candidates[i], candidate);
            }

            return true;
        }

        /// <summary><paramref name="candidates"/> with how each fits the line but for its balance.</summary>
        public FittedLicences Fitted(License[] candidates, LicenseDemand demand)
        {
            var fits = new LicenseFit[candidates.Length];
            if (candidates.Length == 0)
                return new FittedLicences(candidates, fits);
            // The line's exporter is normalised for every candidate's holder test: looked up once here (by reference: it is
            // the same string each time), the licences' names by reference too (Name).
            var exporter = demand.Exporter;
            string? normalizedExporter = null;
            Func<string, string> name = exporter is null ? Name : n => ReferenceEquals(n, exporter) ? normalizedExporter ??= Name(n) : Name(n);
            for (var i = 0; i < candidates.Length; i++)
                fits[i] = LicenseMatch.Fit(candidates[i], Unlimited, demand, name);
            return new FittedLicences(candidates, fits);
        }
    }

    /// <summary>Licences in number order and how each fits a line but for its balance (<see cref="LicenseFit.Covers"/> when only the balance is left to test).</summary>
    internal sealed record FittedLicences(License[] Candidates, LicenseFit[] Fits);

    /// <summary>The rows a batch's transaction gathers (one <see cref="RowBatch"/> a table) and its audit records, reused batch after batch.</summary>
    private sealed class SubmitRows
    {
        public SubmitRows(int lines)
        {
            Shipments = new("shipments", lines,
                ("id", RowBatch.Kind.Text), ("status", RowBatch.Kind.Text), ("license", RowBatch.Kind.Text), ("reasons", RowBatch.Kind.Text),
                ("determination", RowBatch.Kind.Text), ("request", RowBatch.Kind.Text), ("demand", RowBatch.Kind.Text),
                ("submitted_at", RowBatch.Kind.Text), ("updated_at", RowBatch.Kind.Text), ("determination_sha256", RowBatch.Kind.Text));
            Determinations = new("determinations", ("sha256", RowBatch.Kind.Text), ("body", RowBatch.Kind.Text)) { SkipExisting = true };
            Facts = new("shipment_facts", lines,
                ("shipment_id", RowBatch.Kind.Text), ("end_user", RowBatch.Kind.Text), ("consignee", RowBatch.Kind.Text), ("destination", RowBatch.Kind.Text),
                ("requested_license", RowBatch.Kind.Text), ("content_version", RowBatch.Kind.Text), ("submitted_at", RowBatch.Kind.Text),
                ("purchaser", RowBatch.Kind.Text), ("intermediate_consignees", RowBatch.Kind.Text));
            Events = new("shipment_events", lines,
                ("shipment", RowBatch.Kind.Text), ("at", RowBatch.Kind.Text), ("actor", RowBatch.Kind.Text), ("action", RowBatch.Kind.Text),
                ("status", RowBatch.Kind.Text), ("license", RowBatch.Kind.Text), ("reason", RowBatch.Kind.Text));
            Ledger = new("license_ledger", lines,
                ("sequence", RowBatch.Kind.Long), ("number", RowBatch.Kind.Text), ("shipment", RowBatch.Kind.Text), ("quantity", RowBatch.Kind.Long),
                ("value", RowBatch.Kind.Long), ("at", RowBatch.Kind.Text), ("actor", RowBatch.Kind.Text));
            // A record a line and one more for a line that draws: room for half the lines drawing before the list grows
            // (grown from empty by doubling, it was allocated about three times over, batch after batch).
            AuditRecords = new(lines + (lines / 2));
            Audit = AuditTrail.Rows(lines + (lines / 2));
        }

        public RowBatch Shipments { get; }

        public RowBatch Determinations { get; }

        public RowBatch Facts { get; }

        public RowBatch Events { get; }

        public RowBatch Ledger { get; }

        public List<AuditTrail.StoredRecord> AuditRecords { get; }

        /// <summary>The audit records' rows (<see cref="AuditTrail.Insert(DbConnection, DbTransaction, IReadOnlyList{AuditTrail.StoredRecord}, RowBatch)"/>).</summary>
        public RowBatch Audit { get; }

        /// <summary>Forgets every row and record gathered (their texts let go).</summary>
        public void Clear()
        {
            Shipments.Clear();
            Determinations.Clear();
            Facts.Clear();
            Events.Clear();
            Ledger.Clear();
            Audit.Clear();
            AuditRecords.Clear();
        }
    }

    /// <summary>One batch's transaction: the lines decided in memory under the workflow's lock, then written together.</summary>
    private sealed class SubmitBatch
    {
        private readonly ShipmentStore _store;
        private readonly DbConnection _connection;
        private readonly string _actor;
        private readonly Func<string, string> _normalize;
        private readonly bool _careful;
        private readonly bool _postgres;
        // Sized for the batch's lines (a row a line in each, a ledger entry for a line at most): allocated once.
        private readonly SubmitRows _rows;

        /// <summary>Keys of the shared determination parts this transaction has written or will write.</summary>
        private readonly HashSet<string> _sharedWritten = new(StringComparer.Ordinal);
        private readonly Dictionary<string, (long Quantity, long Value)> _drawn = new(StringComparer.Ordinal);
        private readonly Queue<long> _ledgerSequences = new();
        private readonly List<(License License, LicenseFit Fit)> _fitted = [];
        private LicenseBalance?[] _balances = new LicenseBalance?[16];
        private DbTransaction _transaction = null!;
        private LicenceSnapshot _licences = null!;

        /// <summary><see cref="LicenceSnapshot.Name"/> of <see cref="_licences"/> as one delegate, not a new one for every fit.</summary>
        private Func<string, string> _name = null!;
        private Dictionary<string, ShipmentRecord> _stored = null!;
        private string _listVersions = "";
        private long _auditSequence;
        private string _auditHash = AuditChain.Genesis;
        private long _nextLedgerSequence;
        private int _remaining;

        public SubmitBatch(ShipmentStore store, DbConnection connection, string actor, Func<string, string> normalize, bool careful, int lines)
        {
            // The rows' columns and the audit records' list of the last batch, kept by the store and refilled: made anew for
            // every batch they were ~6 % of a submit's allocation (docs/benchmarks.md, submit-speed20). Taken whole, so a
            // batch on another thread (the server) makes its own while these are in use.
            _rows = Interlocked.Exchange(ref store._idleRows, null) ?? new SubmitRows(lines);
            _store = store;
            _connection = connection;
            _actor = actor;
            _normalize = normalize;
            _careful = careful;
            _postgres = store._provider is NpgsqlProvider;
        }

        public IReadOnlyList<SubmitOutcome> Run(IReadOnlyList<PreparedSubmission> submissions)
        {
            try
            {
                return RunOn(submissions);
            }
            finally
            {
                // Emptied (a failed batch may have gathered rows) and left for the next batch.
                _rows.Clear();
                Volatile.Write(ref _store._idleRows, _rows);
            }
        }

        private IReadOnlyList<SubmitOutcome> RunOn(IReadOnlyList<PreparedSubmission> submissions)
        {
            if (_postgres)
                return Transaction(submissions);
            // SQLite keeps a statement journal for each INSERT of many rows into a table with a constraint (every table
            // here): the original of each page the statement changes, so that a failing statement can be undone alone.
            // With the default temp_store it is a temporary file once it passes 64 KiB, which at 16 KiB pages is nearly
            // every statement: 1.1 GB written to /var/tmp for the 100,000-line book, five times the database, and the
            // largest single cost of the writer thread (write system calls, the kernel's page copies). In memory it is a
            // copy of the same pages, freed at the statement's end. Only for the batch: the setting stays with a pooled
            // connection, and a large sort elsewhere should keep spilling to a file.
            PlainCommand.Execute(_connection, "PRAGMA temp_store=MEMORY");
            try
            {
                return Transaction(submissions);
            }
            finally
            {
                PlainCommand.Execute(_connection, "PRAGMA temp_store=DEFAULT");
            }
        }

        private IReadOnlyList<SubmitOutcome> Transaction(IReadOnlyList<PreparedSubmission> submissions)
        {
            using var transaction = _transaction = _connection.BeginTransaction();
            (_auditSequence, _auditHash) = _store.Audit.Lock(_connection, _transaction);
            _licences = _store.Licences(_connection, _transaction, _normalize);
            _name = _licences.Name;
            // Carefully: each line looks itself up, in its savepoint (an id the database refuses fails there, alone).
            _stored = _careful ? new Dictionary<string, ShipmentRecord>(StringComparer.Ordinal)
                : _store.LoadMany(_connection, _transaction, submissions.Select(s => s.Submission.Id).Distinct(StringComparer.Ordinal).ToList());
            _listVersions = _store.ListVersions(_connection, _transaction);
            if (!_postgres)
            {
                _nextLedgerSequence = LastLedgerSequence() + 1;
                CarriedLedgerSums();
            }

            LockBalances(submissions);
            var outcomes = new SubmitOutcome[submissions.Count];
            for (var i = 0; i < submissions.Count; i++)
            {
                _remaining = submissions.Count - i;
                outcomes[i] = _careful ? Carefully(submissions[i]) : Decide(submissions[i]);
            }

            Write();
            _transaction.Commit();
            _store.SharedCommitted(_sharedWritten);
            if (!_postgres)
            {
                // What _drawn holds is the ledger as committed: the sums read in this transaction plus this batch's draws.
                Volatile.Write(ref _store._ledgerSums, new LedgerSums(_nextLedgerSequence - 1, new Dictionary<string, (long, long)>(_drawn, StringComparer.Ordinal)));
            }

            return outcomes;
        }

        /// <summary>
        /// SQLite: the sums the last committed batch left (<see cref="LedgerSums"/>) taken as this batch's starting
        /// balances when the ledger has not changed since (its last sequence is still the mark); the licences' states need
        /// no reading again either, as the write lock is held and <see cref="Licences"/> reloaded them if a licence changed.
        /// </summary>
        private void CarriedLedgerSums()
        {
            if (_careful || Volatile.Read(ref _store._ledgerSums) is not { } carried || carried.Mark != _nextLedgerSequence - 1)
                return;
            foreach (var (number, sums) in carried.Sums)
                _drawn[number] = sums;
        }

        /// <summary>
        /// Reads, in one go, the balances the batch's lines will look at first (of the licences that cover a line but
        /// perhaps for the balance), their rows locked in number order on PostgreSQL: one round trip instead of one a
        /// licence. A balance needed beyond these is read when needed (<see cref="BalanceOf"/>).
        /// </summary>
        private void LockBalances(IReadOnlyList<PreparedSubmission> submissions)
        {
            var numbers = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var prepared in submissions)
            {
                if (prepared.Submission is { } submission && submission is { Prohibited: false, LicenseRequired: not null, Reasons.Count: 0, Demand: { } demand } && !_stored.ContainsKey(submission.Id))
                {
                    var first = submission.License is null ? First(prepared) : _licences.First(submission.License, demand);
                    for (var i = 0; i < first.Candidates.Length; i++)
                    {
                        if (first.Fits[i] == LicenseFit.Covers)
                            numbers.Add(first.Candidates[i].Number);
                    }
                }
            }

            numbers.RemoveWhere(_drawn.ContainsKey); // carried over from the last batch (CarriedLedgerSums)
            if (numbers.Count == 0)
                return;
            var licences = _store._licenses.LockBalances(_connection, _transaction, [.. numbers]);
            foreach (var number in numbers)
            {
                if (!licences.TryGetValue(number, out var row) || row.State != License.Name(_licences.ByNumber[number].State))
                    throw new LicencesChangedException();
                _drawn[number] = (row.Quantity, row.Value);
            }
        }

        /// <summary>
        /// The licences the draw of a line without an assigned licence tries first, with their fits: as prepared on the
        /// checking thread when they were worked out against the licences this batch holds, else worked out now.
        /// </summary>
        private FittedLicences First(PreparedSubmission prepared) =>
            ReferenceEquals(prepared.Licences, _licences) && prepared.First is { } first ? first : _licences.First(null, prepared.Submission.Demand!);

        /// <summary>One line decided in memory; its rows are gathered for <see cref="Write"/>.</summary>
        private SubmitOutcome Decide(PreparedSubmission submission)
        {
            try
            {
                return new SubmitOutcome(Line(submission), null);
            }
            catch (ShipmentStoreException e)
            {
                return new SubmitOutcome(null, e); // refused before anything of it was gathered or drawn
            }
        }

        /// <summary>
        /// One line in a savepoint, written at once, so that a line the database refuses rolls back alone: it is answered
        /// with the database's reason, and the batch goes on.
        /// </summary>
        private SubmitOutcome Carefully(PreparedSubmission prepared)
        {
            var submission = prepared.Submission;
            Execute("SAVEPOINT line");
            try
            {
                var outcome = LookedUp(prepared);
                Execute("RELEASE SAVEPOINT line");
                return outcome;
            }
            catch (DbException e) when (e is not PostgresException { SqlState: "40001" or "40P01" })
            {
                Execute("ROLLBACK TO SAVEPOINT line");
                Forget(submission.Id);
                try
                {
                    // Another writer recorded the same id first (its insert won): the line is a repeat, as a later one would be.
                    if (_store.LoadMany(_connection, _transaction, [submission.Id]).Count == 1)
                    {
                        var outcome = LookedUp(prepared);
                        Execute("RELEASE SAVEPOINT line");
                        return outcome;
                    }
                }
                catch (DbException) when (e is not PostgresException { SqlState: "40001" or "40P01" })
                {
                    Execute("ROLLBACK TO SAVEPOINT line");
                    Forget(submission.Id);
                }

                Execute("RELEASE SAVEPOINT line");
                return new SubmitOutcome(null, new ShipmentStoreException($"the database refused the line: {e.Message}"));
            }
        }

        /// <summary>The line decided after looking its id up, and written.</summary>
        private SubmitOutcome LookedUp(PreparedSubmission prepared)
        {
            var id = prepared.Submission.Id;
            if (!_stored.ContainsKey(id) && _store.LoadMany(_connection, _transaction, [id]) is { Count: 1 } found)
                _stored[id] = found[id];
            var outcome = Decide(prepared);
            Write();
            return outcome;
        }

        /// <summary>After a rollback to the line's savepoint: what memory held of the line is dropped and read again from the database.</summary>
        private void Forget(string id)
        {
            _stored.Remove(id);
            _rows.Clear();
            _sharedWritten.Clear(); // the savepoint may have taken some back: written again (skipped when there) rather than missed
            _drawn.Clear();
            (_auditSequence, _auditHash) = _store.Audit.Lock(_connection, _transaction);
            if (!_postgres)
                _nextLedgerSequence = LastLedgerSequence() + 1;
        }

        private SubmitResult Line(PreparedSubmission prepared)
        {
            var submission = prepared.Submission;
            var now = _store._clock.GetCurrentInstant();
            // The time's text, formatted once for the line's rows, its audit records' hashes and their rows (it was formatted
            // up to six times a line).
            var at = Format(now);
            if (_stored.TryGetValue(submission.Id, out var stored))
            {
                var differs = stored.Request != submission.Request;
                Audit(now, at, "shipment.submit", submission.Id, submission.Request,
                    JsonSerializer.Serialize(new JsonShapes.RepeatOutputs(stored.Status, stored.License, true, differs), StoreJson.Relaxed.RepeatOutputs), submission.ContentVersion);
                return new SubmitResult(stored, true, differs);
            }

            // What does not depend on the licences was worked out when the line was prepared; only a draw changes it.
            var (status, license, reasonsJson) = (prepared.Status, (string?)null, prepared.Reasons);
            string outputs;
            if (prepared.UndrawnOutputs is { } undrawn)
            {
                // The line draws nothing.
                outputs = undrawn;
            }
            else if (prepared is { RefusedReasons: { } refusedReasons, RefusedOutputs: { } refusedOutputs } && ReferenceEquals(prepared.Licences, _licences))
            {
                // No licence covers it whatever the balances: decided when the line was prepared, against these licences.
                (status, reasonsJson, outputs) = (ShipmentStatus.Held, refusedReasons, refusedOutputs);
            }
            else
            {
                (license, var refused) = DrawFor(prepared, now, at);
                if (refused is not null)
                    (status, reasonsJson) = (ShipmentStatus.Held, refused);
                outputs = SubmitOutputs(status, license, reasonsJson, prepared.Determination.Own);
            }

            // The determination's shared part is stored once (DeterminationSchema); the line and its audit record keep
            // their own part and its key.
            var determination = prepared.Determination;
            var sharedPart = determination.SharedPart!; // cut when prepared
            var key = sharedPart.Key;
            if (!_store._sharedStored.ContainsKey(key) && _sharedWritten.Add(key))
                _rows.Determinations.Row().Text(key).Text(sharedPart.Text).End();
            _rows.Shipments.Row().Text(submission.Id).Text(status).Text(license).Text(reasonsJson).Text(determination.Own).Text(submission.Request)
                .Text(prepared.Demand).Text(at).Text(at).Text(key).End();
            var parties = prepared.Parties;
            _rows.Facts.Row().Text(submission.Id).Text(parties.EndUser).Text(parties.Consignee).Text(parties.Destination).Text(parties.License)
                .Text(submission.ContentVersion).Text(at).Text(parties.Purchaser).Text(parties.IntermediateConsignees).End();
            _rows.Events.Row().Text(submission.Id).Text(at).Text(_actor).Text("submit").Text(status).Text(license).Text(null).End();
            // The outputs end with the determination: the shared part goes back in before their closing brace, hashed from
            // its UTF-8 kept once per part, not encoded again for every line.
            var record = AuditChain.AppendShared(_auditHash, _auditSequence + 1, now, _actor, "shipment.submit", submission.Id, submission.Request,
                outputs, outputs.Length - 1, sharedPart.Utf8, submission.ContentVersion, _listVersions, at);
            // Its inputs are the request the line's row stores: kept there only (AuditTrail.StoredRecord.InputsFromLine).
            Chained(new AuditTrail.StoredRecord(record, key, outputs.Length - 1, InputsFromLine: true, at));
            // The record holds the determination as its parts (the shared one once for many lines) until the output is written.
            var line = new ShipmentRecord(submission.Id, status, license, reasonsJson, determination, submission.Request, now, now,
                [new ShipmentEvent(now, _actor, "submit", status, license, null)]);
            _stored[submission.Id] = line;
            return new SubmitResult(line, false);
        }

        /// <summary>
        /// Draws for a new line: the licence drawn on, or (when none covers it) the line's reasons with the licence ones
        /// added, as JSON.
        /// </summary>
        private (string? License, string? Reasons) DrawFor(PreparedSubmission prepared, Instant now, string at)
        {
            var (number, demand, required, openReasons) = (prepared.Submission.License, prepared.Submission.Demand!, prepared.Submission.LicenseRequired!, prepared.Submission.Reasons);
            var drawn = Draw(prepared, now, at);
            if (drawn.Fit == LicenseFit.Covers)
                return (drawn.License, null);
            if (number is not null && drawn.Fit != LicenseFit.Balance)
                throw new ShipmentStoreException($"field 'license': licence {number} does not cover the line: {LicenseMatch.Name(drawn.Fit)}");
            return (null, RefusedReasonsJson(openReasons, required, drawn, demand));
        }

        /// <summary>
        /// <see cref="LicenseStore.Draw(string?, LicenseDemand, string, string, Func{string, string})"/> on the licences
        /// and balances held in memory: the same choice (<see cref="LicenseMatch.Choose"/>: the covering licence that
        /// expires first), the same closest licence when none covers, the same ledger entry and audit record.
        /// </summary>
        private DrawResult Draw(PreparedSubmission prepared, Instant now, string at)
        {
            var (shipment, number, demand) = (prepared.Submission.Id, prepared.Submission.License, prepared.Submission.Demand!);
            (License? Best, LicenseFit Fit, License? Closest, LicenseBalance? ClosestBalance) choice;
            if (number is not null)
            {
                if (!_licences.ByNumber.TryGetValue(number, out var assigned))
                    throw new ShipmentStoreException($"field 'license': no licence numbered {number}");
                choice = Choose(_licences.Fitted([assigned], demand), demand);
            }
            else if (demand.Exporter is not null)
            {
                // The first candidates, then wider as LicenceSnapshot.Wider says while none is chosen.
                choice = Choose(First(prepared), demand);
                for (var step = 1; choice.Best is null && _licences.Wider(step, choice.Fit, demand) is { } wider; step++)
                    choice = Choose(wider, demand);
            }
            else
            {
                choice = Choose(_licences.Fitted(_licences.Granted(demand.Jurisdiction), demand), demand);
            }

            if (choice.Best is not { } chosen)
                return new DrawResult(choice.Closest?.Number, choice.Fit, null, choice.ClosestBalance);

            var quantity = demand.Quantity?.Amount ?? 0;
            var value = demand.Value?.Amount ?? 0;
            var (drawnQuantity, drawnValue) = _drawn[chosen.Number];
            var scaledQuantity = LicenseStore.Scaled(quantity);
            var scaledValue = LicenseStore.Scaled(value);
            _drawn[chosen.Number] = (drawnQuantity + scaledQuantity, drawnValue + scaledValue);
            var entry = new LedgerEntry(NextLedgerSequence(), chosen.Number, shipment, quantity, value, null);
            var balance = BalanceOf(chosen);
            _rows.Ledger.Row().Long(entry.Sequence).Text(chosen.Number).Text(shipment).Long(scaledQuantity).Long(scaledValue).Text(at).Text(_actor).End();
            var audit = LicenseStore.DrawEntry(_actor, entry, balance);
            Audit(now, at, audit.Action, audit.Subject, audit.Inputs, audit.Outputs, "");
            return new DrawResult(chosen.Number, LicenseFit.Covers, entry, balance);
        }

        /// <summary>
        /// <see cref="LicenseMatch.Best"/> over <paramref name="candidates"/>
        /// (number order), reading a balance only for a licence that covers the line but for it (the balance is the last
        /// test: every other licence's fit is the one it has without); and the closest licence as LicenseStore.Draw names
        /// it (the first with the most telling fit). Each licence's fit is worked out once.
        /// </summary>
        private (License? Best, LicenseFit Fit, License? Closest, LicenseBalance? ClosestBalance) Choose(FittedLicences candidates, LicenseDemand demand)
        {
            var count = candidates.Candidates.Length;
            // Kept for the batch and refilled: two arrays a call were allocated for every line that draws.
            if (_balances.Length < count)
                _balances = new LicenseBalance?[Math.Max(count, _balances.Length * 2)];
            _fitted.Clear();
            var (fitted, balances) = (_fitted, _balances);
            for (var i = 0; i < count; i++)
            {
                var (license, fit) = (candidates.Candidates[i], candidates.Fits[i]);
                if (fit == LicenseFit.Covers)
                {
                    var balance = BalanceOf(license);
                    balances[i] = balance;
                    fit = LicenseMatch.Fit(license, balance, demand, _name);
                }

                fitted.Add((license, fit));
            }

            var (best, bestFit) = LicenseMatch.Best(fitted);
            if (best is not null)
                return (best, bestFit, null, null);
            for (var i = 0; i < count; i++)
            {
                if (fitted[i].Fit == bestFit)
                    return (null, bestFit, fitted[i].License, bestFit == LicenseFit.Balance ? balances[i] : null);
            }

            return (null, bestFit, null, null);
        }

        /// <summary>The licence's balance: read under its lock the first time in the transaction, then kept here as lines draw.</summary>
        private LicenseBalance BalanceOf(License license)
        {
            if (!_drawn.TryGetValue(license.Number, out var drawn))
            {
                var locked = _store._licenses.LockBalance(_connection, _transaction, license.Number);
                if (locked is not { } row || row.State != License.Name(license.State))
                    throw new LicencesChangedException();
                _drawn[license.Number] = drawn = (row.Quantity, row.Value);
            }

            return LicenseBalance.From(license, drawn.Quantity / WorkflowSchema.Scale, drawn.Value / WorkflowSchema.Scale);
        }

        private void Audit(Instant now, string at, string action, string subject, string inputs, string outputs, string contentVersion)
        {
            var record = AuditChain.Append(_auditHash, _auditSequence + 1, now, at, _actor, action, subject, inputs, outputs, contentVersion, _listVersions);
            Chained(new AuditTrail.StoredRecord(record, null, 0, Time: at));
        }

        private void Chained(AuditTrail.StoredRecord stored)
        {
            (_auditSequence, _auditHash) = (stored.Record.Sequence, stored.Record.Hash);
            _rows.AuditRecords.Add(stored);
        }

        /// <summary>The ledger's next sequence: on SQLite counted on from the last (the write lock is held); on PostgreSQL taken from its sequence, as many as the batch may need at once.</summary>
        private long NextLedgerSequence()
        {
            if (!_postgres)
                return _nextLedgerSequence++;
            if (_ledgerSequences.Count == 0)
            {
                foreach (var sequence in PlainCommand.Query(_connection,
                    "SELECT nextval(pg_get_serial_sequence('license_ledger', 'sequence')) FROM generate_series(1, @count)", _transaction, r => r.Int64(0), ("count", _remaining)))
                    _ledgerSequences.Enqueue(sequence);
            }

            return _ledgerSequences.Dequeue();
        }

        private long LastLedgerSequence() => PlainCommand.Int64(_connection,
            "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'license_ledger'), 0), COALESCE((SELECT MAX(sequence) FROM license_ledger), 0))",
            _transaction);

        /// <summary>Writes the rows gathered: the lines, their events, the ledger entries, the audit records.</summary>
        private void Write()
        {
            _rows.Determinations.Write(_connection, _transaction, _postgres);
            _rows.Shipments.Write(_connection, _transaction, _postgres);
            _rows.Facts.Write(_connection, _transaction, _postgres);
            _rows.Events.Write(_connection, _transaction, _postgres);
            _rows.Ledger.Write(_connection, _transaction, _postgres);
            _store.Audit.Insert(_connection, _transaction, _rows.AuditRecords, _rows.Audit);
            _rows.Clear();
        }

        private void Execute(string sql) => PlainCommand.Execute(_connection, sql, _transaction);
    }
}
