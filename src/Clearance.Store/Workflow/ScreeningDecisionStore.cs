using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using NodaTime;
using NodaTime.Text;

namespace Clearance.Store;

/// <summary>The decisions an analyst takes on a screening alert.</summary>
public static class ScreeningDecisionKind
{
    /// <summary>The party is not the listed entry: the alert no longer holds its lines while the entry is unchanged.</summary>
    public const string FalsePositive = "false-positive";

    /// <summary>The party is the listed entry: every line of the party is held while the entry is listed.</summary>
    public const string TrueMatch = "true-match";

    /// <summary>Every decision, as <c>--decision</c> accepts them.</summary>
    public static readonly IReadOnlyList<string> All = [FalsePositive, TrueMatch];
}

/// <summary>An analyst's decision on a party against a list entry, bound to the entry's content when decided.</summary>
/// <param name="Id">Its number, in the order decided.</param>
/// <param name="Party">The party's name as given.</param>
/// <param name="PartyKey">The name as screening normalises it: the key lines are matched by.</param>
/// <param name="EntityList">The entry's list, as matches name it (e.g. "ofac-sdn", "csl-el").</param>
/// <param name="EntityId">The entry's id on that list.</param>
/// <param name="ListId">The stored list holding the entry.</param>
/// <param name="VersionNo">That list's active version when decided.</param>
/// <param name="ContentHash">The entry's content hash when decided (hex).</param>
/// <param name="EntryName">The entry's primary name when decided.</param>
/// <param name="Decision">See <see cref="ScreeningDecisionKind"/>.</param>
/// <param name="Reason">Why, as the analyst gave it.</param>
/// <param name="Actor">Who decided.</param>
/// <param name="DecidedAt">When.</param>
public sealed record ScreeningDecision(
    long Id, string Party, string PartyKey, string EntityList, string EntityId, string ListId, int VersionNo, string ContentHash,
    string EntryName, string Decision, string Reason, string Actor, Instant DecidedAt);

/// <summary>A decision as it stands against the active lists.</summary>
/// <param name="Decision">The latest decision for its party and entry.</param>
/// <param name="CurrentHash">The entry's content hash in the active version, or null when no active list holds it.</param>
public sealed record DecisionState(ScreeningDecision Decision, string? CurrentHash)
{
    /// <summary>
    /// Whether the decision still applies: a false positive while the entry's content is what was decided on, a true
    /// match while the entry is listed at all (a changed entry is still the same listed party).
    /// </summary>
    public bool Applies => CurrentHash is not null && (Decision.Decision == ScreeningDecisionKind.TrueMatch || CurrentHash == Decision.ContentHash);

    /// <summary>A false positive whose entry changed (or left the lists) since it was decided.</summary>
    public bool Lapsed => !Applies;
}

/// <summary>
/// The decisions in force, by party and entry: the latest per (party, entry) wins, each with the entry's current content
/// hash. Read once per run (submit, recheck), so that every line of the run is judged by the same decisions.
/// </summary>
public sealed class ScreeningDecisionSet
{
    private readonly Dictionary<(string Party, string List, string Entity), DecisionState> _latest;
    private readonly Dictionary<string, List<DecisionState>> _trueMatches;

    /// <summary>The set of <paramref name="states"/>, each the latest for its key.</summary>
    public ScreeningDecisionSet(IEnumerable<DecisionState> states)
    {
        ArgumentNullException.ThrowIfNull(states);
        _latest = [];
        foreach (var s in states)
            _latest[(s.Decision.PartyKey, s.Decision.EntityList, s.Decision.EntityId)] = s;
        _trueMatches = _latest.Values.Where(s => s.Decision.Decision == ScreeningDecisionKind.TrueMatch && s.Applies)
            .GroupBy(s => s.Decision.PartyKey, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(s => s.Decision.EntityList, StringComparer.Ordinal).ThenBy(s => s.Decision.EntityId, StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
    }

    /// <summary>No decisions.</summary>
    public static ScreeningDecisionSet Empty { get; } = new([]);

    /// <summary>Whether there is no decision at all.</summary>
    public bool IsEmpty => _latest.Count == 0;

    /// <summary>The latest decision on the party (normalised name) against the entry, or null.</summary>
    public DecisionState? For(string partyKey, string entityList, string entityId) =>
        _latest.TryGetValue((partyKey, entityList, entityId), out var state) ? state : null;

    /// <summary>The true-match decisions in force for the party (normalised name), by list and entry.</summary>
    public IReadOnlyList<DecisionState> TrueMatches(string partyKey) =>
        _trueMatches.TryGetValue(partyKey, out var list) ? list : [];

    /// <summary>The parties (normalised names) with any decision.</summary>
    public IReadOnlySet<string> Parties => _latest.Keys.Select(k => k.Party).ToHashSet(StringComparer.Ordinal);
}

/// <summary>A decision that cannot be recorded (an entry not in any active list); nothing is written.</summary>
public sealed class ScreeningDecisionException(string message) : Exception(message);

/// <summary>
/// The screening decisions in the store, each recorded with its audit record in one transaction. A decision is bound to
/// the entry's content hash in the active version of its list when decided.
/// </summary>
public sealed class ScreeningDecisionStore
{
    private readonly IDbProvider _provider;
    private readonly IClock _clock;
    private readonly AuditTrail _audit;

    /// <summary>Opens the store on <paramref name="provider"/>, bringing the schema up to date.</summary>
    public ScreeningDecisionStore(IDbProvider provider, IClock? clock = null)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _provider = provider;
        _clock = clock ?? SystemClock.Instance;
        SchemaMigrations.Apply(provider, _clock);
        _audit = new AuditTrail(provider);
    }

    /// <summary>Opens the store at a location as <see cref="DatabaseLocation.Resolve"/> gives it.</summary>
    public static ScreeningDecisionStore Open(string location) =>
        new(DatabaseLocation.Provider(location));

    /// <summary>
    /// Records a decision on <paramref name="party"/> against the entry <paramref name="entityList"/>:<paramref name="entityId"/>
    /// of the active lists, bound to its content hash, with an audit record (action <c>screening.decide</c>).
    /// </summary>
    /// <exception cref="ScreeningDecisionException">No active list holds the entry (the message names the entry and what is there).</exception>
    public ScreeningDecision Decide(string party, string partyKey, string entityList, string entityId, string decision, string reason, string actor)
    {
        ArgumentNullException.ThrowIfNull(party);
        if (!ScreeningDecisionKind.All.Contains(decision))
            throw new ArgumentException($"unknown decision '{decision}'", nameof(decision));
        using var connection = _provider.Open();
        using var transaction = connection.BeginTransaction();
        _audit.Lock(connection, transaction); // first, as every workflow writer does: one lock order, no deadlock
        var entry = PlainCommand.First(connection,
            """
            SELECT l.list_id, lv.version_no, ve.content_hash, ed.data FROM lists l
            JOIN list_versions lv ON lv.version_id = l.active_version
            JOIN version_entities ve ON ve.version_id = lv.version_id
            JOIN entity_data ed ON ed.content_hash = ve.content_hash
            WHERE ve.entity_list_id = @entityList AND ve.entity_id = @entityId
            ORDER BY l.list_id
            """, transaction, r => new EntryRow(r.GetString(0), r.Int64(1), (byte[])r.GetValue(2), (byte[])r.GetValue(3)),
            ("entityList", entityList), ("entityId", entityId))
            ?? throw new ScreeningDecisionException(Missing(connection, transaction, entityList, entityId));
        var now = _clock.GetCurrentInstant();
        var hash = Convert.ToHexStringLower(entry.Hash);
        var name = EntityJson.Read(entry.Data, null).PrimaryName;
        var id = PlainCommand.Int64(connection,
            """
            INSERT INTO screening_decisions (party, party_key, entity_list, entity_id, list_id, version_no, content_hash, entry_name, decision, reason, actor, decided_at)
            VALUES (@party, @partyKey, @entityList, @entityId, @ListId, @VersionNo, @hash, @name, @decision, @reason, @actor, @at)
            RETURNING id
            """,
            transaction, ("party", party), ("partyKey", partyKey), ("entityList", entityList), ("entityId", entityId), ("ListId", entry.ListId),
            ("VersionNo", entry.VersionNo), ("hash", hash), ("name", name), ("decision", decision), ("reason", reason), ("actor", actor),
            ("at", InstantPattern.ExtendedIso.Format(now)));
        var versions = ActiveVersions(connection, transaction);
        _audit.Append(connection, transaction, now, new AuditTrail.Entry(actor, "screening.decide", $"{entityList}:{entityId}",
            JsonSerializer.Serialize(new JsonShapes.DecisionInputs(party, $"{entityList}:{entityId}", decision, reason), StoreJson.Relaxed.DecisionInputs),
            JsonSerializer.Serialize(new JsonShapes.DecisionOutputs(id, partyKey, entry.ListId, entry.VersionNo, hash, name), StoreJson.Relaxed.DecisionOutputs),
            "", versions));
        transaction.Commit();
        return new ScreeningDecision(id, party, partyKey, entityList, entityId, entry.ListId, (int)entry.VersionNo, hash, name, decision, reason, actor, now);
    }

    /// <summary>Every decision, in the order taken.</summary>
    public IReadOnlyList<ScreeningDecision> List()
    {
        using var connection = _provider.Open();
        return Decisions(connection, null);
    }

    /// <summary>Every decision with the current content hash of its entry (null when no active list holds it), in the order taken.</summary>
    public IReadOnlyList<DecisionState> States()
    {
        using var connection = _provider.Open();
        return States(connection, null);
    }

    /// <summary>The decisions in force: the latest per party and entry, against the active lists.</summary>
    public ScreeningDecisionSet Current()
    {
        using var connection = _provider.Open();
        return new ScreeningDecisionSet(States(connection, null));
    }

    internal static IReadOnlyList<DecisionState> States(DbConnection connection, DbTransaction? transaction)
    {
        // Loops, not LINQ over tuples: every recheck runs this first, and their generic code was compiled at run time in
        // each recheck's process, decisions or none.
        var decisions = Decisions(connection, transaction);
        if (decisions.Count == 0)
            return [];
        var current = new Dictionary<string, string?>(StringComparer.Ordinal); // the entry's current hash, by list and id
        var states = new DecisionState[decisions.Count];
        for (var i = 0; i < decisions.Count; i++)
        {
            var d = decisions[i];
            var key = d.EntityList + "\n" + d.EntityId; // neither holds a line break
            if (!current.TryGetValue(key, out var hash))
            {
                current[key] = hash = PlainCommand.Scalar(connection,
                    """
                    SELECT ve.content_hash FROM lists l JOIN version_entities ve ON ve.version_id = l.active_version
                    WHERE ve.entity_list_id = @list AND ve.entity_id = @id ORDER BY l.list_id
                    """, transaction, ("list", d.EntityList), ("id", d.EntityId)) is byte[] bytes ? Convert.ToHexStringLower(bytes) : null;
            }

            states[i] = new DecisionState(d, hash);
        }

        return states;
    }

    /// <summary>Every decision, in the order taken.</summary>
    private static List<ScreeningDecision> Decisions(DbConnection connection, DbTransaction? transaction)
    {
        var decisions = new List<ScreeningDecision>();
        using (var command = PlainCommand.Create(connection,
            "SELECT id, party, party_key, entity_list, entity_id, list_id, version_no, content_hash, entry_name, decision, reason, actor, decided_at FROM screening_decisions ORDER BY id",
            transaction))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                decisions.Add(new ScreeningDecision(
                    reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                    (int)reader.GetInt64(6), reader.GetString(7), reader.GetString(8), reader.GetString(9), reader.GetString(10), reader.GetString(11),
                    InstantPattern.ExtendedIso.Parse(reader.GetString(12)).Value));
            }
        }

        return decisions;
    }

    /// <summary>Why the entry cannot be found: an unknown list (naming those there are), or a list without that entry.</summary>
    private static string Missing(DbConnection connection, DbTransaction transaction, string entityList, string entityId)
    {
        var lists = PlainCommand.Query(connection,
            "SELECT DISTINCT ve.entity_list_id FROM lists l JOIN version_entities ve ON ve.version_id = l.active_version ORDER BY ve.entity_list_id",
            transaction, r => r.GetString(0));
        return lists.Contains(entityList, StringComparer.Ordinal)
            ? $"--entity: list {entityList} has no entry '{entityId}' in its active version"
            : lists.Count == 0
                ? $"--entity: no list is imported, so there is no entry {entityList}:{entityId} (import the list first: clearance lists import)"
                : $"--entity: no list '{entityList}' among the active lists ({string.Join(", ", lists)})";
    }

    /// <summary>The active list versions ("meti-eul:1,ofac-sdn:3"), as audit records name them.</summary>
    internal static string ActiveVersions(DbConnection connection, DbTransaction? transaction)
    {
        var versions = new System.Text.StringBuilder();
        foreach (var v in ListStore.ActiveVersions(connection, transaction))
        {
            if (versions.Length > 0)
                versions.Append(',');
            versions.Append(v.ListId).Append(':').Append(v.VersionNo.ToString(CultureInfo.InvariantCulture));
        }

        return versions.ToString();
    }

    /// <summary>The entry a decision is bound to: its list, the list's active version, its content hash and content.</summary>
    private sealed record EntryRow(string ListId, long VersionNo, byte[] Hash, byte[] Data);
}
