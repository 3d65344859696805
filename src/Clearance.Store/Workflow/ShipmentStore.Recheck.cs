using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Clearance.Licensing;
using NodaTime;
using NodaTime.Text;

namespace Clearance.Store;

/// <summary>What the reasons of a line mean for its status.</summary>
public static class ShipmentReasons
{
    /// <summary>A screening alert cleared by a false-positive decision: shown, but it holds nothing.</summary>
    public const string ScreeningCleared = "screening-cleared";

    /// <summary>A screening alert that holds the line.</summary>
    public const string ScreeningMatch = "screening-match";

    /// <summary>An officer's release: the record of an override, not a reason to hold.</summary>
    public const string OfficerRelease = "officer-release";

    /// <summary>The licence a released line drew on was suspended, revoked or expired.</summary>
    public const string LicenseWithdrawn = "license-withdrawn";

    /// <summary>The reason's code, or null.</summary>
    public static string? Code(JsonNode? reason) => reason?["code"]?.GetValue<string>();

    /// <summary>Whether <paramref name="reason"/> holds a line: every reason but a cleared alert and an officer's release.</summary>
    public static bool IsOpen(JsonNode? reason) => Code(reason) is not (ScreeningCleared or OfficerRelease);

    /// <summary>What makes two reasons "the same reason" when an officer's release is weighed: code, party, list and entry.</summary>
    public static string Key(JsonNode? reason) =>
        $"{Code(reason)}|{reason?["party"]?.GetValue<string>()}|{reason?["list"]?.GetValue<string>()}|{reason?["entity"]?.GetValue<string>()}";

    /// <summary>
    /// The code of each of <paramref name="reasons"/> (a stored reasons array; "" for a reason without one), in their order:
    /// read forward without a document, two of which a changed line's history event cost (a few kilobytes each). Anything
    /// but an array of objects and nulls whose codes are strings or null, and a code given twice, is read by
    /// <see cref="CodesByDocument"/>, which answers (or fails) as the event always did.
    /// </summary>
    public static HashSet<string> Codes(string reasons)
    {
        ArgumentNullException.ThrowIfNull(reasons);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(System.Text.Encoding.UTF8.GetMaxByteCount(reasons.Length));
        try
        {
            var reader = new Utf8JsonReader(buffer.AsSpan(0, System.Text.Encoding.UTF8.GetBytes(reasons, buffer)));
            var codes = new HashSet<string>();
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
                return CodesByDocument(reasons);
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType == JsonTokenType.Null)
                {
                    codes.Add("");
                    continue;
                }

                if (reader.TokenType != JsonTokenType.StartObject)
                    return CodesByDocument(reasons);
                var (code, seen) = ((string?)null, false);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isCode = reader.ValueTextEquals("code"u8);
                    reader.Read();
                    if (!isCode)
                    {
                        reader.Skip();
                        continue;
                    }

                    if (seen || reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
                        return CodesByDocument(reasons);
                    (code, seen) = (reader.TokenType == JsonTokenType.String ? reader.GetString() : null, true);
                }

                codes.Add(code ?? "");
            }

            return reader.Read() ? CodesByDocument(reasons) : codes; // more after the array: the document's error
        }
        catch (JsonException)
        {
            return CodesByDocument(reasons);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The reference <see cref="Codes"/> agrees with: the reasons parsed as a document.</summary>
    public static HashSet<string> CodesByDocument(string reasons) => [.. JsonNode.Parse(reasons)!.AsArray().Select(r => ShipmentReasons.Code(r) ?? "")];
}

/// <summary>A held or released line as <c>shipments recheck</c> reads it.</summary>
/// <param name="Id">The line's id.</param>
/// <param name="Status">held or released.</param>
/// <param name="License">The licence it draws on, or null.</param>
/// <param name="Reasons">Its reasons (JSON array).</param>
/// <param name="Demand">What a licence must cover (JSON), when one is required.</param>
/// <param name="EndUser">The end user as submitted, or null.</param>
/// <param name="Consignee">The consignee as submitted, or null.</param>
/// <param name="Destination">The destination (alpha-2) as submitted.</param>
/// <param name="RequestedLicense">The licence number the line was submitted with, or null (automatic assignment).</param>
/// <param name="CurrentContent">Whether its stored determination was made with the content version asked about.</param>
/// <param name="EvaluatedAt">When it was last screened: its submission, its last recheck, or the start of the last finished recheck run, whichever is latest.</param>
/// <param name="Request">The line as submitted (JSON, the check contract's names), when read (<see cref="ShipmentStore.Request"/> reads it otherwise).</param>
/// <param name="Purchaser">The purchaser as submitted, or null.</param>
/// <param name="IntermediateConsignees">The intermediate consignees as submitted, or null when none.</param>
public sealed record OpenShipment(
    string Id, string Status, string? License, string Reasons, string? Demand, string? EndUser, string? Consignee, string Destination,
    string? RequestedLicense, bool CurrentContent, Instant EvaluatedAt, string? Request, string? Purchaser = null, IReadOnlyList<string>? IntermediateConsignees = null)
{
    /// <summary>Every party the line names, as submitted: end user, consignee, purchaser, intermediate consignees.</summary>
    public IEnumerable<string> Parties()
    {
        if (EndUser is not null)
            yield return EndUser;
        if (Consignee is not null)
            yield return Consignee;
        if (Purchaser is not null)
            yield return Purchaser;
        foreach (var name in IntermediateConsignees ?? [])
            yield return name;
    }
}

/// <summary>
/// Which held and released lines a recheck reads (<see cref="ShipmentStore.OpenLines"/>): those that something may have
/// changed. Always read: the lines determined with another content version and the held lines whose reasons are about a
/// licence (one may cover them now).
/// </summary>
/// <param name="Parties">The lines with any of these parties (end user, consignee, purchaser, intermediate consignee; names as submitted): near a changed entry, or decided on.</param>
/// <param name="GrantedLicenses">The licences granted now: a line drawing on any other (suspended, revoked, expired or gone) is read.</param>
/// <param name="WithHits">Whether to read every line with a screening hit (an entry some line matched changed or left its list).</param>
/// <param name="WithIndeterminate">
/// Whether to read every line with an <c>indeterminate</c> reason (a list was loaded for the first time since some line
/// was screened: a line that could not be screened without it can be decided now).
/// </param>
public sealed record OpenLineFilter(IReadOnlyCollection<string> Parties, IReadOnlyCollection<string> GrantedLicenses, bool WithHits, bool WithIndeterminate = false);

/// <summary>The held and released lines in brief, before a recheck reads any (<see cref="ShipmentStore.OpenLineSummary"/>).</summary>
/// <param name="Count">How many lines are held or released.</param>
/// <param name="EarliestEvaluation">The earliest instant any of them is screened as of; null when there are none.</param>
/// <param name="Parties">Their distinct parties: end user, consignee, purchaser or intermediate consignee as submitted, with the line's destination.</param>
public sealed record OpenLineSummary(int Count, Instant? EarliestEvaluation, IReadOnlyList<(string Name, string Destination)> Parties);

/// <summary>A line evaluated again, before the licence: its reasons other than the licence's, and what a licence must cover.</summary>
/// <param name="Reasons">Reasons other than the licence's (embargo or prohibited, screening, indeterminate), in submit's order.</param>
/// <param name="Prohibited">Whether the export is prohibited now (the line is rejected).</param>
/// <param name="LicenseRequired">The <c>license-required</c> reason when a licence is required; null when not, or when <paramref name="Determination"/> is null (then taken from the stored line).</param>
/// <param name="Demand">What a licence must cover; null when none is required, or when <paramref name="Determination"/> is null (the stored demand stands).</param>
/// <param name="Determination">The new check result (JSON) when the line was checked again; null when the stored one stands.</param>
/// <param name="ContentVersion">The content version the line is now evaluated with.</param>
public sealed record RecheckedLine(IReadOnlyList<JsonObject> Reasons, bool Prohibited, JsonObject? LicenseRequired, LicenseDemand? Demand, string? Determination, string ContentVersion);

/// <summary>What a recheck did to one line.</summary>
/// <param name="Id">The line's id.</param>
/// <param name="OldStatus">Its status before.</param>
/// <param name="OldLicense">Its licence before.</param>
/// <param name="OldReasons">Its reasons before (JSON array).</param>
/// <param name="Status">Its status after.</param>
/// <param name="License">Its licence after.</param>
/// <param name="Reasons">Its reasons after (JSON array).</param>
public sealed record RecheckChange(string Id, string OldStatus, string? OldLicense, string OldReasons, string Status, string? License, string Reasons)
{
    /// <summary>Whether the status, the licence or the reasons changed (a new determination alone does not count).</summary>
    public bool Changed => Status != OldStatus || License != OldLicense || Reasons != OldReasons;
}

/// <summary>One licence activation of a list's version, for telling which versions a line was screened against.</summary>
/// <param name="ListId">The stored list.</param>
/// <param name="VersionNo">The version made active.</param>
/// <param name="At">When.</param>
public sealed record ListActivationTime(string ListId, int VersionNo, Instant At);

/// <summary>
/// The licences and their balances in memory, so that a recheck of many held lines asks the database to draw only
/// for the lines a licence would cover (the draw itself is decided again under the licences' lock).
/// </summary>
public sealed class LicenseBook
{
    // Each licence with its balance as a class, not a tuple: a sorted dictionary of tuples holding a struct was compiled
    // at run time, method by method, at each recheck's start (licences or none).
    private readonly SortedDictionary<string, Held> _licenses = new(StringComparer.Ordinal);

    internal LicenseBook(IEnumerable<LicenseRecord> records)
    {
        foreach (var r in records)
            _licenses.Add(r.License.Number, new Held(r.License, r.Balance));
    }

    /// <summary>A licence and its balance now.</summary>
    private sealed record Held(License License, LicenseBalance Balance);

    /// <summary>The licence's state, or null when there is no such licence.</summary>
    public LicenseState? State(string number) => _licenses.TryGetValue(number, out var l) ? l.License.State : null;

    /// <summary>What drawing for <paramref name="demand"/> would do, as <see cref="LicenseStore.Draw(string?, LicenseDemand, string, string, Func{string, string})"/> decides it.</summary>
    public DrawResult Try(string? number, LicenseDemand demand, Func<string, string> normalize)
    {
        ArgumentNullException.ThrowIfNull(demand);
        (License License, LicenseBalance Balance)[] candidates = number is not null
            ? (_licenses.TryGetValue(number, out var named) ? [(named.License, named.Balance)] : [])
            : [.. _licenses.Values.Where(l => l.License.Jurisdiction == demand.Jurisdiction && l.License.State == LicenseState.Granted).Select(l => (l.License, l.Balance))];
        var (chosen, fit, closest) = LicenseMatch.Choose(candidates, demand, normalize);
        if (chosen is not null)
            return new DrawResult(chosen.Number, LicenseFit.Covers, null, _licenses[chosen.Number].Balance);
        return closest < 0 ? new DrawResult(null, fit, null, null) : new DrawResult(candidates[closest].License.Number, fit, null, candidates[closest].Balance);
    }

    /// <summary>The numbers of the licences granted now.</summary>
    public IReadOnlyList<string> Granted()
    {
        // A loop: LINQ over the dictionary's pairs was compiled at run time, method by method, at each recheck's start.
        var granted = new List<string>();
        foreach (var (number, held) in _licenses)
        {
            if (held.License.State == LicenseState.Granted)
                granted.Add(number);
        }

        return granted;
    }

    /// <summary>Records a licence's balance after a draw or a reversal.</summary>
    internal void Update(string number, LicenseBalance balance)
    {
        if (_licenses.TryGetValue(number, out var l))
            _licenses[number] = l with { Balance = balance };
    }
}

/// <summary><c>shipments recheck</c>: the held and released lines evaluated again, each change in one transaction.</summary>
public sealed partial class ShipmentStore
{
    private ScreeningDecisionStore? _decisions;

    /// <summary>The screening decisions of the same database.</summary>
    public ScreeningDecisionStore Decisions => _decisions ??= new ScreeningDecisionStore(_provider, _clock);

    /// <summary>Whether any line is held or released (a recheck has something to do).</summary>
    public bool HasOpenLines()
    {
        using var connection = _provider.Open();
        return Convert.ToInt64(PlainCommand.Scalar(connection, "SELECT COUNT(*) FROM (SELECT 1 FROM shipments WHERE status IN ('held', 'released') LIMIT 1) AS o"), CultureInfo.InvariantCulture) > 0;
    }

    /// <summary>Records the start of a recheck run; its id.</summary>
    public long BeginRecheck(string actor)
    {
        using var connection = _provider.Open();
        return Convert.ToInt64(PlainCommand.Scalar(connection, "INSERT INTO recheck_runs (started_at, actor) VALUES (@at, @actor) RETURNING id", null,
            ("at", Format(_clock.GetCurrentInstant())), ("actor", actor)), CultureInfo.InvariantCulture);
    }

    /// <summary>Records that run <paramref name="run"/> finished: every open line was evaluated as of its start.</summary>
    public void EndRecheck(long run, string summary)
    {
        using var connection = _provider.Open();
        PlainCommand.Execute(connection, "UPDATE recheck_runs SET finished_at = @at, summary = @summary WHERE id = @run", null,
            ("at", Format(_clock.GetCurrentInstant())), ("summary", summary), ("run", run));
    }

    /// <summary>Every activation of every list's versions, oldest first.</summary>
    public IReadOnlyList<ListActivationTime> ListActivations()
    {
        using var connection = _provider.Open();
        using var command = PlainCommand.Create(connection, "SELECT list_id, version_no, activated_at FROM list_activations ORDER BY activation_id");
        using var reader = command.ExecuteReader();
        var activations = new List<ListActivationTime>();
        while (reader.Read())
            activations.Add(new ListActivationTime(reader.GetString(0), Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture), Parse(reader.GetString(2))));
        return activations;
    }

    /// <summary>The active version of each list.</summary>
    public IReadOnlyDictionary<string, int> ActiveListVersions()
    {
        using var connection = _provider.Open();
        var versions = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var v in ListStore.ActiveVersions(connection, null))
            versions[v.ListId] = checked((int)v.VersionNo);
        return versions;
    }

    /// <summary>
    /// The entries (list, id) whose content differs between version <paramref name="from"/> of a stored list (null: no
    /// version, so every entry is new) and its version <paramref name="to"/> (null: the list has no active version):
    /// those present in <paramref name="to"/> (added or changed) and those that were in <paramref name="from"/> (removed or changed).
    /// </summary>
    public (IReadOnlyList<EntityRef> Current, IReadOnlyList<EntityRef> Former) EntityDiff(string listId, int? from, int? to)
    {
        using var connection = _provider.Open();
        long Id(int? version) => version is null ? -1 : PlainCommand.Scalar(connection,
            "SELECT version_id FROM list_versions WHERE list_id = @listId AND version_no = @version", null, ("listId", listId), ("version", (long)version)) is { } id
            ? Convert.ToInt64(id, CultureInfo.InvariantCulture) : -1;
        var (fromId, toId) = (Id(from), Id(to));
        if (fromId >= 0 && toId >= 0 && PlainCommand.Scalar(connection,
            "SELECT 1 FROM version_change_sets WHERE version_id = @toId AND from_version_id = @fromId", null, ("fromId", fromId), ("toId", toId)) is not null)
        {
            // Recorded by the import of version `to` over `from` (VersionChangesSchema): its rows, not both versions read whole.
            var (added, gone) = (new List<EntityRef>(), new List<EntityRef>());
            using var recorded = PlainCommand.Create(connection,
                "SELECT side, entity_list_id, entity_id FROM version_changes WHERE version_id = @toId AND from_version_id = @fromId ORDER BY side, entity_list_id, entity_id",
                null, ("fromId", fromId), ("toId", toId));
            using var rows = recorded.ExecuteReader();
            while (rows.Read())
                (Convert.ToInt32(rows.GetValue(0), CultureInfo.InvariantCulture) == 1 ? added : gone).Add(new EntityRef(rows.GetString(1), rows.GetString(2)));
            return (added, gone);
        }

        List<EntityRef> Refs(string sql)
        {
            using var command = PlainCommand.Create(connection, sql, null, ("fromId", fromId), ("toId", toId));
            using var reader = command.ExecuteReader();
            var refs = new List<EntityRef>();
            while (reader.Read())
                refs.Add(new EntityRef(reader.GetString(0), reader.GetString(1)));
            return refs;
        }

        // Not recorded (a version imported before migration 15, or one activated again over a later one): each version's
        // entries less the other's (VersionChangesSchema.Except).
        var current = Refs(string.Format(CultureInfo.InvariantCulture, VersionChangesSchema.Except, "toId", "fromId"));
        var former = Refs(string.Format(CultureInfo.InvariantCulture, VersionChangesSchema.Except, "fromId", "toId"));
        return (current, former);
    }

    /// <summary>The entries <paramref name="refs"/> of the active version of stored list <paramref name="listId"/>.</summary>
    public IReadOnlyList<Clearance.Screening.ListEntity> ActiveEntities(string listId, IEnumerable<EntityRef> refs)
    {
        ArgumentNullException.ThrowIfNull(refs);
        var wanted = refs.ToHashSet();
        if (wanted.Count == 0)
            return [];
        using var connection = _provider.Open();
        var postgres = _provider is NpgsqlProvider;
        var entities = new List<Clearance.Screening.ListEntity>();
        using var command = postgres ? ActiveEntitiesByIds(connection, listId, wanted) : ActiveEntitiesByKeys(connection, listId, wanted);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (wanted.Contains(new EntityRef(reader.GetString(0), reader.GetString(1))))
                entities.Add(EntityJson.Read((byte[])reader.GetValue(2), reader.Text(3) is { } sourceDate ? LocalDatePattern.Iso.Parse(sourceDate).Value : null));
        }

        return entities;
    }

    /// <summary>
    /// PostgreSQL: the active version's entries of the entry ids wanted, in one query (the list an entry id belongs to is
    /// checked by the caller), not one an entry.
    /// </summary>
    private static DbCommand ActiveEntitiesByIds(DbConnection connection, string listId, HashSet<EntityRef> wanted) =>
        PlainCommand.Create(connection,
            """
            SELECT ve.entity_list_id, ve.entity_id, ed.data, lv.source_date FROM lists l JOIN list_versions lv ON lv.version_id = l.active_version
            JOIN version_entities ve ON ve.version_id = lv.version_id JOIN entity_data ed ON ed.content_hash = ve.content_hash
            WHERE l.list_id = @listId AND ve.entity_id = ANY(@ids)
            ORDER BY ve.entity_list_id, ve.entity_id
            """, null, ("listId", listId), ("ids", wanted.Select(r => r.EntityId).Distinct(StringComparer.Ordinal).ToArray()));

    /// <summary>
    /// SQLite: the same rows (a wanted entry is once in a version: its key) looked up by their whole key, (list, entry)
    /// pairs read from a JSON array: the entry ids alone, tested against every entry of the version in a pass over it,
    /// cost ~6 ms of SQLite's CPU for the ~15,000 entries of the SDN list against ~2 for the 305 lookups
    /// (docs/benchmarks.md, branch recheck-warm24).
    /// </summary>
    private static DbCommand ActiveEntitiesByKeys(DbConnection connection, string listId, HashSet<EntityRef> wanted)
    {
        var keys = JsonText(wanted, static (w, wanted) =>
        {
            w.WriteStartArray();
            foreach (var entry in wanted)
            {
                w.WriteStartArray();
                w.WriteStringValue(entry.ListId);
                w.WriteStringValue(entry.EntityId);
                w.WriteEndArray();
            }

            w.WriteEndArray();
        });
        return PlainCommand.Create(connection,
            """
            SELECT ve.entity_list_id, ve.entity_id, ed.data, lv.source_date FROM lists l JOIN list_versions lv ON lv.version_id = l.active_version
            CROSS JOIN json_each(@keys) k CROSS JOIN version_entities ve
              ON ve.version_id = lv.version_id AND ve.entity_list_id = json_extract(k.value, '$[0]') AND ve.entity_id = json_extract(k.value, '$[1]')
            JOIN entity_data ed ON ed.content_hash = ve.content_hash
            WHERE l.list_id = @listId
            ORDER BY ve.entity_list_id, ve.entity_id
            """, null, ("listId", listId), ("keys", keys));
    }

    /// <summary>
    /// What a recheck needs to know of the held and released lines before it reads any: how many there are; an instant
    /// at or before every such line's own <see cref="OpenShipment.EvaluatedAt"/> that stands for the earliest of them
    /// (null: no such line); and their distinct parties (end user or consignee as submitted, with the line's destination),
    /// to screen each once. The parties are those migration 11 keeps (<see cref="RecheckPartiesSchema"/>), with the lines
    /// submitted since the last recheck folded in first: a superset, which may still hold parties whose lines all closed
    /// (each costs a needless screening against the changed entries, until <c>--full</c> compacts the set). All of it is
    /// read in one transaction under the workflow's lock, so the count, the parties and the floor agree.
    /// </summary>
    /// <remarks>
    /// The earliest evaluation is, exactly, the later of the last finished recheck's start and the earliest submission of
    /// an open line; what a recheck does with it depends only on which list activations are at or before it
    /// (<paramref name="activations"/>). Those at or before the later of the run's start and the kept floor (at or before
    /// every open line's submission) are; of the later ones, an activation is at or before the earliest submission when no
    /// open line was submitted before it: asked from the latest down, each question answered by the first open line
    /// submitted before it (the usual answer, at once) or by a pass over the open lines (once at most). The instant
    /// returned is the latest activation found at or before it, or that lower bound: the same activations on either side.
    /// Before migration 11 this was one GROUP BY of every open line's parties (~0.15-0.2 s of SQLite CPU for 100,000 lines).
    /// </remarks>
    /// <param name="activations">Every list activation (<see cref="ListActivations"/>).</param>
    public OpenLineSummary OpenLineSummary(IReadOnlyList<ListActivationTime> activations)
    {
        ArgumentNullException.ThrowIfNull(activations);
        using var connection = _provider.Open();
        using var transaction = connection.BeginTransaction();
        Audit.Lock(connection, transaction);
        var kept = Fold(connection, transaction, null, withParties: true);
        var count = Convert.ToInt64(PlainCommand.Scalar(connection, _provider is NpgsqlProvider ? "SELECT COUNT(*) FROM shipments WHERE status IN ('held', 'released')" : OpenCountSqlite, transaction), CultureInfo.InvariantCulture);
        if (count == 0)
        {
            transaction.Commit();
            return new OpenLineSummary(0, null, []);
        }

        // No floor while lines are open cannot happen (a line opens only at submit, and is folded in open): read exactly all the same.
        var lower = Parse(kept.Floor ?? (string)PlainCommand.Scalar(connection, RecheckPartiesSchema.Floor, transaction)!);
        if (LastFinishedRecheckStart(connection, transaction) is { } start && start > lower)
            lower = start;
        var earliest = lower;
        var later = new List<Instant>();
        foreach (var a in activations)
        {
            if (a.At > lower && !later.Contains(a.At))
                later.Add(a.At);
        }

        later.Sort();
        for (var i = later.Count - 1; i >= 0; i--)
        {
            if (PlainCommand.Scalar(connection,
                "SELECT 1 FROM shipments s JOIN shipment_facts f ON f.shipment_id = s.id WHERE s.status IN ('held', 'released') AND rtrim(f.submitted_at, 'Z') < rtrim(@at, 'Z') LIMIT 1",
                transaction, ("at", Format(later[i]))) is null)
            {
                earliest = later[i]; // no open line submitted before it: it and every activation before it are at or before the earliest
                break;
            }
        }

        transaction.Commit();
        return new OpenLineSummary((int)count, earliest, kept.Parties);
    }

    /// <summary>
    /// SQLite: the held and released lines counted as every line less the others. Counting the open lines themselves
    /// walks their 100,000 entries of the status index (~3.5 ms); SQLite counts a whole table from its smallest index at
    /// once, and the other statuses are the three ranges of the index around 'held' and 'released' (every other status,
    /// whatever it is, and only the few closed lines). The same count (<c>OpenCount_EveryStatus_TheHeldAndReleasedLines</c>).
    /// </summary>
    internal const string OpenCountSqlite =
        """
        SELECT (SELECT COUNT(*) FROM shipments)
             - (SELECT COUNT(*) FROM shipments WHERE status < 'held' OR (status > 'held' AND status < 'released') OR status > 'released')
        """;

    /// <summary>
    /// The held and released lines in the order submitted, each with its parties, whether its determination was made
    /// with <paramref name="contentVersion"/>, and the instant its screening is as of (submission, its own last
    /// recheck, or the start of the last finished recheck run, the latest of them). The parties and the content version
    /// come from shipment_facts and the rest from an index that holds it (SQLite), so that the stored requests and
    /// determinations, most of the table, are not read; a recheck parses in full only the lines it checks again.
    /// </summary>
    /// <param name="contentVersion">The content version the lines are evaluated with now.</param>
    /// <param name="withRequests">Whether to read each line's stored request too (to check every line again).</param>
    /// <param name="filter">Which lines to read (null: every held and released line); the database leaves out the others.</param>
    /// <remarks>
    /// A line without its facts (written straight into the database) is not read: call <see cref="OpenLineSummary"/> or
    /// <see cref="KeepRecheckParties"/> first, as the recheck does, which fill them in. With a filter, the lines of its
    /// parties are those the recheck keeps (migration 13, <see cref="RecheckLinePartiesSchema"/>), and the lines of
    /// another content version are looked for only when the kept mark does not say that every line has this one: a line
    /// submitted after the last fold is read at the next recheck, as one submitted after this read is.
    /// </remarks>
    public IReadOnlyList<OpenShipment> OpenLines(string contentVersion, bool withRequests = false, OpenLineFilter? filter = null)
    {
        using var connection = _provider.Open();
        var runStart = LastFinishedRecheckStart(connection);
        var rechecked = new Dictionary<string, Instant>(StringComparer.Ordinal);
        using (var events = PlainCommand.Create(connection, "SELECT shipment, at FROM shipment_events WHERE action = 'recheck' ORDER BY id"))
        using (var reader = events.ExecuteReader())
        {
            while (reader.Read())
                rechecked[reader.GetString(0)] = Parse(reader.GetString(1));
        }

        // No FillMissingFacts here: every caller has called OpenLineSummary or KeepRecheckParties first, whose fold fills
        // the facts of lines written without them.
        var postgres = _provider is NpgsqlProvider;
        var otherVersions = filter is null || OtherContentVersions(connection, contentVersion);
        var columns = $"""
            SELECT s.id, s.status, s.license, s.reasons, s.demand, f.end_user, f.consignee, f.destination, f.requested_license,
                   CASE WHEN f.content_version = @needle THEN 1 ELSE 0 END, f.submitted_at, {(withRequests ? "s.request" : "NULL")},
                   f.purchaser, f.intermediate_consignees
            """;
        var sql = filter is null
            ? $"""
              {columns}
              FROM shipments s JOIN shipment_facts f ON f.shipment_id = s.id
              WHERE s.status IN ('held', 'released')
              """
            : postgres
            ? $"""
              {columns}
              FROM shipments s JOIN shipment_facts f ON f.shipment_id = s.id
              WHERE s.status IN ('held', 'released') AND ({(otherVersions ? "f.content_version IS DISTINCT FROM @needle OR " : "")}
                s.id IN (SELECT p.shipment_id FROM recheck_line_parties p WHERE p.name = ANY(@parties)) OR {LineCondition(filter, postgres)})
              """
            // SQLite, filtered: each condition where its columns are, so that no side is joined whole. The lines of the
            // parties by key from the kept lines of each party (the few parties near a changed entry: ~1,200 lines of
            // 100,000 on the bench book, where a pass over shipment_facts testing each row's parties cost ~25-40 ms);
            // those of another content version from a pass over shipment_facts, only when some line may have one; the
            // others (licence, reasons) from the partial index of the open lines with a licence or a reason (migration
            // 14: a line with neither meets no such condition), each tested on its row and looked up in shipment_facts.
            // Walking every open line's entry of shipments_open for them cost ~10-12 ms of SQLite's CPU (branch
            // recheck-warm26). A line chosen twice is read once (below). Joining the 100,000 open rows first and testing
            // the whole condition on each cost SQLite about half as much CPU again as two passes (docs/benchmarks.md,
            // branch recheck-speed6).
            : $"""
              {columns}
              FROM recheck_line_parties p CROSS JOIN shipments s ON s.id = p.shipment_id CROSS JOIN shipment_facts f ON f.shipment_id = p.shipment_id
              WHERE p.name IN (SELECT value FROM json_each(@parties)) AND s.status IN ('held', 'released')
              UNION ALL
              {(otherVersions ? $"""
              {columns}
              FROM shipment_facts f CROSS JOIN shipments s ON s.id = f.shipment_id
              WHERE s.status IN ('held', 'released') AND f.content_version IS NOT @needle
              UNION ALL
              """ : "")}
              {columns}
              FROM shipments s INDEXED BY shipments_flagged JOIN shipment_facts f ON f.shipment_id = s.id
              WHERE {RecheckFlaggedLinesSchema.Condition} AND {LineCondition(filter, postgres)}
              """;
        var lines = new List<SubmittedLine>();
        var instants = new Dictionary<string, Instant>(StringComparer.Ordinal); // a batch's lines share their submission times
        // A plain reader: a hundred thousand rows are read in a fraction of the time a mapper takes.
        using (var command = PlainCommand.Create(connection, sql, null, ("needle", contentVersion),
            ("parties", ArrayParameter(filter?.Parties ?? [], postgres)), ("granted", ArrayParameter(filter?.GrantedLicenses ?? [], postgres))))
        using (var reader = command.ExecuteReader())
        {
            var read = filter is null || postgres ? null : new HashSet<string>(StringComparer.Ordinal);
            while (reader.Read())
            {
                var id = reader.GetString(0);
                if (read is not null && !read.Add(id))
                    continue; // chosen by another of the query's parts already
                var submittedText = reader.GetString(10);
                if (!instants.TryGetValue(submittedText, out var submitted))
                    instants[submittedText] = submitted = Parse(submittedText);
                var at = submitted;
                if (rechecked.TryGetValue(id, out var own) && own > at)
                    at = own;
                if (runStart is { } start && start > at)
                    at = start;
                lines.Add(new SubmittedLine(new OpenShipment(id, reader.GetString(1), reader.Text(2), reader.GetString(3), reader.Text(4), reader.Text(5), reader.Text(6), reader.Text(7) ?? "", reader.Text(8),
                    Convert.ToInt64(reader.GetValue(9), CultureInfo.InvariantCulture) == 1, at, reader.Text(11), reader.Text(12), ShipmentParties.Names(reader.Text(13))), submitted));
            }
        }

        // In the order submitted (sorted here: the database would sort the whole rows), then by id (unique: the order is
        // total, as the stable sort by both keys gave it). A list of a class sorted by a comparison runs code the
        // framework ships compiled; LINQ's ordering over a tuple was compiled at run time at each recheck.
        lines.Sort(static (a, b) => a.Submitted != b.Submitted ? a.Submitted.CompareTo(b.Submitted) : string.CompareOrdinal(a.Line.Id, b.Line.Id));
        var ordered = new OpenShipment[lines.Count];
        for (var i = 0; i < ordered.Length; i++)
            ordered[i] = lines[i].Line;
        return ordered;
    }

    /// <summary>An open line read with its submission instant, the key it is put in order by.</summary>
    private sealed record SubmittedLine(OpenShipment Line, Instant Submitted);

    /// <summary>
    /// Whether an open line may have been determined with a content version other than <paramref name="contentVersion"/>:
    /// not when the kept mark says every line has it (<see cref="RecheckLinePartiesSchema"/>). Otherwise the mark is
    /// settled first, under the workflow's lock (a pass over the open lines' facts, after a new content version or the
    /// set built whole): set to this version when no open line has another, so that the next recheck need not look.
    /// </summary>
    private bool OtherContentVersions(DbConnection connection, string contentVersion)
    {
        if (PlainCommand.Scalar(connection, "SELECT content_version FROM recheck_parties_mark") as string == contentVersion)
            return false;
        using var transaction = connection.BeginTransaction();
        Audit.Lock(connection, transaction);
        PlainCommand.Execute(connection, RecheckLinePartiesSchema.Settle(_provider is NpgsqlProvider), transaction, ("version", contentVersion));
        var settled = PlainCommand.Scalar(connection, "SELECT content_version FROM recheck_parties_mark", transaction) as string == contentVersion;
        transaction.Commit();
        return !settled;
    }

    /// <summary>The part of <paramref name="filter"/> about the line's row: its licence, its reasons.</summary>
    private static string LineCondition(OpenLineFilter filter, bool postgres)
    {
        var conditions = new List<string>
        {
            "(s.license IS NOT NULL AND " + (postgres ? "NOT (s.license = ANY(@granted)))" : "s.license NOT IN (SELECT value FROM json_each(@granted)))"),
            "(s.status = 'held' AND s.reasons LIKE '%\"license-%')",
        };
        if (filter.WithHits)
            conditions.Add("s.reasons LIKE '%\"entity\"%'");
        if (filter.WithIndeterminate)
            conditions.Add("s.reasons LIKE '%\"indeterminate\"%'");
        return "(" + string.Join(" OR ", conditions) + ")";
    }

    /// <summary>An array parameter: an array on PostgreSQL, a JSON array on SQLite (read with json_each).</summary>
    private static object ArrayParameter(IReadOnlyCollection<string> values, bool postgres)
    {
        if (postgres)
            return values.ToArray();
        return JsonText(values, static (w, values) =>
        {
            w.WriteStartArray();
            foreach (var value in values)
                w.WriteStringValue(value);
            w.WriteEndArray();
        });
    }

    /// <summary>
    /// A JSON value written by <see cref="Utf8JsonWriter"/> with its default escaping, the text JsonSerializer gives a
    /// string or a list of strings: the serializer's first call sets up its reflection-based converters, which cost a
    /// short recheck about 60 methods compiled at run time (docs/benchmarks.md, branch recheck-speed7).
    /// </summary>
    private static string JsonText<T>(T state, Action<Utf8JsonWriter, T> write)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
            write(w, state);
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>A string (or null) as JsonSerializer writes it.</summary>
    private static string JsonText(string? value) => value is null ? "null" : JsonText(value, static (w, v) => w.WriteStringValue(v));

    private static Instant? LastFinishedRecheckStart(DbConnection connection, DbTransaction? transaction = null) =>
        PlainCommand.Scalar(connection, "SELECT started_at FROM recheck_runs WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1", transaction) is string started
            ? Parse(started) : null;

    /// <summary>
    /// Lines written without their facts (straight into the database, or by a writer before migration 8) get them first.
    /// Counted first: the counts read the smallest index of each table, the search for the missing rows one lookup a line.
    /// Called by the fold only when the shipments rows are not those it accounted for plus the lines submitted since
    /// (<see cref="Fold"/>): every line submit writes has its facts, and the last fold filled any that were missing.
    /// </summary>
    private void FillMissingFacts(DbConnection connection, DbTransaction transaction)
    {
        if (Convert.ToInt64(PlainCommand.Scalar(connection, "SELECT (SELECT COUNT(*) FROM shipments) - (SELECT COUNT(*) FROM shipment_facts)", transaction), CultureInfo.InvariantCulture) != 0)
            PlainCommand.Execute(connection, _provider is NpgsqlProvider ? ShipmentFactsSchema.FillMissingPostgres : ShipmentFactsSchema.FillMissingSqlite, transaction);
    }

    /// <summary>The stored request of line <paramref name="id"/> (JSON, the check contract's names).</summary>
    public string Request(string id)
    {
        using var connection = _provider.Open();
        return PlainCommand.Scalar(connection, "SELECT request FROM shipments WHERE id = @id", null, ("id", id)) as string
            ?? throw new InvalidOperationException($"no shipment line {id}"); // as Dapper's QuerySingle threw
    }

    /// <summary>The licences with their balances, in memory, for a recheck.</summary>
    public LicenseBook LicenseBook() => new(_licenses.List());

    /// <summary>
    /// A writer of rechecked lines that puts up to <paramref name="linesPerTransaction"/> changed lines in one transaction
    /// (each line whole: status, reasons, drawdown changes, history event and audit record), and reports them to
    /// <paramref name="committed"/> once their transaction has committed.
    /// </summary>
    public RecheckWriter BeginRecheckWrites(int linesPerTransaction = RecheckWriter.DefaultLinesPerTransaction, Action<RecheckChange>? committed = null) =>
        new(this, linesPerTransaction, committed);

    /// <summary>
    /// Applies <paramref name="line"/>'s new evaluation in the transaction <paramref name="open"/> gives, after a first
    /// decision in memory (so that the transaction is opened only for a line that needs it): decides its status, licence
    /// and reasons (a held line that needs a licence is given one when one covers it now, the way submit does; a
    /// released line whose licence is no longer granted returns its drawdown and is held unless another licence covers
    /// it; an officer's release stands unless a new reason appears), and when anything changed writes it with its
    /// drawdown changes, a history event <c>recheck</c> and an audit record; a drawdown drawn or returned is under a
    /// savepoint, so that a line that stays as it is leaves nothing behind. Nothing is written for a line that stays as it is.
    /// </summary>
    internal RecheckChange Recheck(
        Func<RecheckTransaction> open, OpenShipment line, RecheckedLine evaluation, LicenseBook book, string actor, Func<string, string> normalize,
        RecheckDecisions? decisions = null)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(evaluation);
        ArgumentNullException.ThrowIfNull(book);
        // A determination is written again only with a change or a new content version: screening the same lines again
        // against new list versions changes the versions it names, not the line.
        var redetermined = evaluation.Determination is not null && !line.CurrentContent;
        PlannedDecision? planned = null;
        if (!redetermined)
        {
            // A first decision in memory: most lines stay as they are and need no transaction at all. A line with the
            // same stored state and the same evaluation as one decided before (a book's repeated lines) is decided alike.
            planned = decisions?.Find(line, evaluation);
            if (planned is null)
            {
                var licenceAsked = false;
                var decided = Decide(line.Id, line.Status, line.License, line.Reasons, line.RequestedLicense, line.Demand, null, evaluation,
                    number =>
                    {
                        licenceAsked = true;
                        return book.State(number);
                    },
                    (number, demand) =>
                    {
                        licenceAsked = true;
                        return book.Try(number, demand, normalize);
                    },
                    () => licenceAsked = true);
                if (!decided.Changed)
                    return decided;
                if (!licenceAsked)
                {
                    // Asked nothing of the licences, the decision is the line's stored state and its evaluation alone.
                    // Only a change is kept: a line decided to stay as it is returned above, and so does its copy.
                    planned = new PlannedDecision(line, evaluation, decided);
                    decisions?.Add(planned);
                }
            }
        }

        var writes = open();

        // The savepoint is set only before a drawdown is drawn or returned: those are the only writes that can precede
        // the decision that the line stays as it is. A line written without them (a new screening hit: most lines a
        // list update changes) needs none, two statements fewer a line; the transaction keeps it whole either way.
        var savepoint = false;
        void BeforeLicenceWrite()
        {
            if (!savepoint)
            {
                // The licence store appends its own audit records after the trail's head in the database: the records
                // and events this transaction holds back go in first.
                writes.BeforeOtherWriter();
                PlainCommand.Execute(writes.Connection, "SAVEPOINT recheck_line", writes.Transaction);
            }

            savepoint = true;
        }

        var change = RecheckInTransaction(writes, line, evaluation, planned, book, actor, normalize, BeforeLicenceWrite, out var written);
        if (savepoint)
        {
            PlainCommand.Execute(writes.Connection, written ? "RELEASE SAVEPOINT recheck_line" : "ROLLBACK TO SAVEPOINT recheck_line", writes.Transaction);
            if (!written)
                writes.RolledBackToSavepoint();
        }

        return change;
    }

    private RecheckChange RecheckInTransaction(
        RecheckTransaction writes, OpenShipment line, RecheckedLine evaluation, PlannedDecision? planned, LicenseBook book, string actor, Func<string, string> normalize,
        Action beforeLicenceWrite, out bool written)
    {
        written = false;
        var redetermined = evaluation.Determination is not null && !line.CurrentContent;
        var (connection, transaction) = (writes.Connection, writes.Transaction);
        var row = writes.Line(line.Id);
        if (row is null || row.Value.Status is not (ShipmentStatus.Held or ShipmentStatus.Released))
            return new RecheckChange(line.Id, line.Status, line.License, line.Reasons, line.Status, line.License, line.Reasons); // rejected or cancelled meanwhile
        var (status, license, reasons, stored, demandStored) = row.Value;
        var now = _clock.GetCurrentInstant();
        var reversed = false;

        // The decision in memory stands when the row is still as the line was read: it asked nothing of the licences,
        // and the stored determination it did not have is read only for a withdrawn licence.
        var same = planned is not null && status == line.Status && license == line.License && reasons == line.Reasons && demandStored == line.Demand;
        // The licence the line was submitted with: its request never changes, and shipment_facts holds it (line.RequestedLicense).
        var change = same ? planned!.For(line) : Decide(line.Id, status, license, reasons, line.RequestedLicense, demandStored, stored, evaluation,
            number => PlainCommand.Scalar(connection, "SELECT state FROM licenses WHERE number = @number", transaction, ("number", number)) is string s ? License.ParseState(s) : null,
            (number, demand) =>
            {
                try
                {
                    beforeLicenceWrite();
                    var drawn = _licenses.Draw(connection, transaction, number, demand, line.Id, actor, normalize);
                    if (drawn is { Entry: not null, Balance: { } b })
                        book.Update(drawn.License!, b);
                    return drawn;
                }
                catch (ListStoreException)
                {
                    return new DrawResult(null, LicenseFit.WrongType, null, null); // the licence the line names does not exist
                }
            },
            () =>
            {
                beforeLicenceWrite();
                foreach (var entry in _licenses.Reverse(connection, transaction, line.Id, actor, "recheck: licence no longer drawn on"))
                    reversed = true;
            });
        var determination = evaluation.Determination is { } fresh && (redetermined || change.Changed) ? fresh : stored;
        var demandJson = determination == stored ? demandStored : evaluation.Demand is { } d ? DemandJson.Write(d) : null;
        if (!change.Changed && determination == stored)
            return change;

        var at = Format(now);
        // A line decided as one before it (same row, same evaluation, no licence asked, so none returned) and given the
        // evaluation's determination in place of another writes the same event reason, audit inputs and outputs, and
        // determination: each made once.
        var alike = same && determination == evaluation.Determination && determination != stored;
        // Stored as submit stores it: the line's own part in its row and in the audit record's outputs, the shared part
        // once. Cut once for alike lines: finding the shared part's key hashes and compares its ~1.6 KB.
        var cut = alike ? planned!.Determination ??= Split(determination) : Split(determination);
        writes.UpdateLine(change.Id, change.Status, change.License, change.Reasons, cut, demandJson, at);
        // The facts' content version is written only when it changes: a line read as determined with the version it is
        // evaluated with (OpenLines was asked about the evaluation's version) has it already, as have the 500 lines a list
        // update changes; writing it again cost a statement a line and left the row as it was.
        if (determination != stored && !line.CurrentContent)
            writes.UpdateContentVersion(line.Id, evaluation.ContentVersion);
        string Reason() => change.Changed ? "recheck: " + Summary(change) : "recheck: determination updated";
        string Inputs() => $"{{\"previous\":{{\"status\":\"{status}\",\"license\":{JsonText(license)},\"reasons\":{reasons}}}}}";
        string Outputs() => $"{{\"status\":\"{change.Status}\",\"license\":{JsonText(change.License)},\"reasons\":{change.Reasons},\"drawdown_returned\":{(reversed ? "true" : "false")}" +
            (determination != stored ? $",\"determination\":{cut.Own}" : "") + "}";
        writes.Event(line.Id, at, actor, "recheck", change.Status, change.License, alike ? planned!.EventReason ??= Reason() : Reason());
        writes.Audit(now, at, actor, "shipment.recheck", line.Id, alike ? planned!.AuditInputs ??= Inputs() : Inputs(), alike ? planned!.AuditOutputs ??= Outputs() : Outputs(),
            evaluation.ContentVersion, ListVersions(connection, transaction), determination != stored ? cut.SharedPart : null);
        written = true;
        if (reversed && license is { } returned)
            book.Update(returned, _licenses.Find(connection, transaction, returned)!.Balance);
        return change;
    }

    /// <summary>The change in a few words, for the history event: the reason codes that came and went.</summary>
    private static string Summary(RecheckChange change)
    {
        var (before, after) = (ShipmentReasons.Codes(change.OldReasons), ShipmentReasons.Codes(change.Reasons));
        var parts = new List<string>();
        if (after.Except(before).ToList() is { Count: > 0 } added)
            parts.Add("+" + string.Join(" +", added));
        if (before.Except(after).ToList() is { Count: > 0 } removed)
            parts.Add("-" + string.Join(" -", removed));
        if (change.License != change.OldLicense)
            parts.Add($"licence {change.OldLicense ?? "none"} → {change.License ?? "none"}");
        return parts.Count == 0 ? "reasons updated" : string.Join(", ", parts);
    }

    /// <summary>
    /// The line's new status, licence and reasons from its current ones and its new evaluation. Pure but for
    /// <paramref name="draw"/> and <paramref name="reverse"/>, which act in the transaction (or, for the first decision
    /// in memory, only answer). <paramref name="determination"/> is the stored one, null in the first decision in
    /// memory: a line that would need it (a released line whose licence was withdrawn) is then reported as changing.
    /// </summary>
    private static RecheckChange Decide(
        string id, string status, string? license, string reasonsJson, string? requested, string? demandJson, string? determination, RecheckedLine evaluation,
        Func<string, LicenseState?> state, Func<string?, LicenseDemand, DrawResult> draw, Action reverse)
    {
        var old = JsonNode.Parse(reasonsJson)!.AsArray();
        if (evaluation.Prohibited)
        {
            if (license is not null)
                reverse();
            return new RecheckChange(id, status, license, reasonsJson, ShipmentStatus.Rejected, null, Serialize(evaluation.Reasons));
        }

        var checkedAgain = evaluation.Determination is not null;
        var demand = checkedAgain ? evaluation.Demand : demandJson is { } dj ? DemandJson.Read(dj) : null;
        var required = checkedAgain ? evaluation.LicenseRequired
            : (JsonObject?)old.FirstOrDefault(r => ShipmentReasons.Code(r) == "license-required")?.DeepClone();
        var officer = status == ShipmentStatus.Released ? old.Where(r => ShipmentReasons.Code(r) == ShipmentReasons.OfficerRelease).ToList() : [];
        var reasons = new JsonArray([.. evaluation.Reasons.Select(r => (JsonNode)r.DeepClone())]);
        var open = reasons.Any(ShipmentReasons.IsOpen);
        var assigned = license;
        JsonObject? withdrawn = null;
        if (assigned is not null)
        {
            var licenseState = state(assigned);
            if (demand is null)
            {
                reverse(); // no licence is required any more: the drawdown is returned
                assigned = null;
            }
            else if (licenseState != LicenseState.Granted)
            {
                reverse();
                withdrawn = new JsonObject { ["code"] = ShipmentReasons.LicenseWithdrawn, ["license"] = assigned, ["state"] = licenseState is { } s ? License.Name(s) : "missing" };
                assigned = null;
                if (required is null && determination is null)
                    return new RecheckChange(id, status, license, reasonsJson, ShipmentStatus.Held, null, "[\"pending\"]"); // the transaction decides
                required ??= Required(demand, determination!);
            }
        }

        if (assigned is null && demand is not null && required is not null)
        {
            var oldLicenseReasons = old.Where(r => ShipmentReasons.Code(r) is "license-required" or "license-balance").ToList();
            DrawResult? drawn = null;
            if (!open && officer.Count == 0)
            {
                drawn = draw(requested, demand);
                if (drawn.Fit == LicenseFit.Covers)
                    assigned = drawn.License;
            }

            if (assigned is null)
            {
                if (withdrawn is not null)
                    reasons.Add((JsonNode)withdrawn);
                var sameHold = drawn is null || (status == ShipmentStatus.Held && oldLicenseReasons.Any(r => ShipmentReasons.Code(r) == "license-balance") == (drawn.Fit == LicenseFit.Balance));
                if (withdrawn is null && oldLicenseReasons.Count > 0 && sameHold)
                {
                    // Still not covered, for the same kind of reason: the hold stands as it was (its figures those of its last evaluation).
                    foreach (var r in oldLicenseReasons)
                        reasons.Add(r!.DeepClone());
                }
                else
                {
                    var reason = (JsonObject)required.DeepClone();
                    if (drawn is { License: { } closest } && drawn.Fit != LicenseFit.WrongType)
                    {
                        reason["closest_license"] = closest;
                        reason["fit"] = LicenseMatch.Name(drawn.Fit);
                    }

                    reasons.Add((JsonNode)reason);
                    if (drawn?.Fit == LicenseFit.Balance)
                    {
                        reasons.Add((JsonNode)new JsonObject
                        {
                            ["code"] = "license-balance", ["license"] = drawn.License,
                            ["quantity_remaining"] = drawn.Balance?.QuantityRemaining, ["value_remaining"] = drawn.Balance?.ValueRemaining,
                            ["quantity"] = demand.Quantity?.Amount, ["value"] = demand.Value?.Amount,
                        });
                    }
                }
            }
        }

        var newStatus = reasons.Any(ShipmentReasons.IsOpen) ? ShipmentStatus.Held : ShipmentStatus.Released;
        if (officer.Count > 0)
        {
            // The officer's release stands unless a reason appears that was not open when it was given.
            var known = old.Where(ShipmentReasons.IsOpen).Select(ShipmentReasons.Key).ToHashSet(StringComparer.Ordinal);
            if (reasons.Where(ShipmentReasons.IsOpen).All(r => known.Contains(ShipmentReasons.Key(r))))
            {
                newStatus = ShipmentStatus.Released;
                foreach (var r in officer)
                    reasons.Add(r!.DeepClone());
            }
        }

        return new RecheckChange(id, status, license, reasonsJson, newStatus, assigned, reasons.ToJsonString(AuditJson));
    }

    private static string Serialize(IEnumerable<JsonObject> reasons) => new JsonArray([.. reasons.Select(r => (JsonNode)r.DeepClone())]).ToJsonString(AuditJson);

    /// <summary>The <c>license-required</c> reason of a line from its stored demand and determination (a released line keeps none).</summary>
    private static JsonObject Required(LicenseDemand demand, string determination)
    {
        var d = JsonNode.Parse(determination)!;
        var regime = d["regimes"]?.AsArray().FirstOrDefault(r => r?["jurisdiction"]?.GetValue<string>() == demand.Jurisdiction) ?? d;
        var days = regime["review_days"]?.GetValue<int>();
        return new JsonObject
        {
            ["code"] = "license-required", ["jurisdiction"] = demand.Jurisdiction,
            ["eligible_types"] = new JsonArray([.. demand.EligibleTypes.Select(t => (JsonNode)t)]),
            ["review_days"] = days,
            ["earliest_decision"] = days is { } n ? LocalDatePattern.Iso.Format(demand.Date.PlusDays(n)) : null,
        };
    }
}
