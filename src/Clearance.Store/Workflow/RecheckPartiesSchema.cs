namespace Clearance.Store;

/// <summary>
/// Migration 11: the open lines' distinct parties kept BY THE RECHECK, so that an incremental recheck no longer groups
/// every open line to find them (the join of 100,000 rows of shipments and shipment_facts and the sort of its GROUP BY
/// cost ~0.15-0.2 s of SQLite CPU a recheck). Submit writes nothing here: recheck-speed8 and recheck-speed9 kept such a
/// table at submit and cost submit several per cent of CPU (docs/benchmarks.md), so each recheck folds in the lines
/// submitted since the last one instead (<see cref="ShipmentStore.OpenLineSummary"/>).
/// </summary>
/// <remarks>
/// <para><c>recheck_parties</c> holds a SUPERSET of the distinct parties (end user or consignee as submitted, with the
/// line's destination) of the held and released lines: parties are only added, and a line that closes leaves its party
/// behind (a needless screening against the changed entries, never a miss) until <c>recheck --full</c> compacts the
/// set from the lines it reads. <c>recheck_parties_mark</c> (one row; none: not built yet, the next recheck builds the
/// set whole) holds the watermark, the highest <c>shipment_events.id</c> whose submit event was folded in (ids of both
/// providers' event tables only grow: AUTOINCREMENT, a sequence), the number of shipments rows accounted for then, and a
/// floor under the submission instant of every line folded in while open.</para>
/// <para>Why a superset always: a line opens only at submit (no command makes a rejected or cancelled line held or
/// released again), and submit writes the line and its <c>submit</c> event in one transaction that takes the workflow's
/// lock (<see cref="AuditTrail.Lock"/>) first. The fold takes the same lock in its own transaction, so every submit
/// before it has committed (on PostgreSQL an event id can be taken by a transaction that commits after a later one: not
/// while the fold holds the lock) and none runs beside it; it reads the submit events above the watermark and writes
/// their open lines' parties and the new watermark together, so a recheck killed before its commit leaves the set and
/// the watermark as they were. A line written without a submit event (straight into the database) shows as a count of
/// shipments rows that the events do not explain: the set is then built whole again.</para>
/// </remarks>
internal static class RecheckPartiesSchema
{
    /// <summary>The migration's version, here so that both providers' lists take the same.</summary>
    public const int Version = 11;

    /// <summary>The migration's name in schema_migrations.</summary>
    public const string Name = "the open lines' distinct parties kept by the recheck (a superset, folded in from the submit events above a watermark)";

    private const string Mark =
        """
        CREATE TABLE recheck_parties_mark (
            id       INTEGER PRIMARY KEY CHECK (id = 1),
            event_id BIGINT NOT NULL,
            lines    BIGINT NOT NULL,
            floor    TEXT
        );
        """;

    /// <summary>SQLite: the tables, empty (the first recheck builds the set); the parties in key order, without rowid.</summary>
    public const string Sqlite =
        $"""
        CREATE TABLE recheck_parties (
            name        TEXT NOT NULL,
            destination TEXT NOT NULL,
            PRIMARY KEY (name, destination)
        ) WITHOUT ROWID;
        {Mark}
        """;

    /// <summary>PostgreSQL: the same tables.</summary>
    public const string Postgres =
        $"""
        CREATE TABLE recheck_parties (
            name        TEXT NOT NULL,
            destination TEXT NOT NULL,
            PRIMARY KEY (name, destination)
        );
        {Mark}
        """;

    /// <summary>The held and released lines with their facts <c>f</c>, as a FROM and WHERE clause.</summary>
    internal const string OpenLines = "FROM shipments s JOIN shipment_facts f ON f.shipment_id = s.id WHERE s.status IN ('held', 'released')";

    /// <summary>
    /// The set made whole from the lines as they are (the GROUP BY the recheck ran every time before migration 11), every
    /// party to the transaction a line names (migration 12 added the purchaser and the intermediate consignees). The mark
    /// is written by the caller, in the same transaction.
    /// </summary>
    public static string Rebuild(bool postgres) =>
        $"""
        DELETE FROM recheck_parties;
        INSERT INTO recheck_parties (name, destination)
        {OpenLineParties("f.destination", postgres)}
        """;

    /// <summary>
    /// Every party of every open line (end user, consignee, purchaser, intermediate consignee, as submitted), each with
    /// <paramref name="with"/> (a column of the line's facts <c>f</c>: its destination, or its id), distinct.
    /// </summary>
    public static string OpenLineParties(string with, bool postgres) =>
        $"""
        SELECT f.end_user, {with} {OpenLines} AND f.end_user IS NOT NULL
        UNION
        SELECT f.consignee, {with} {OpenLines} AND f.consignee IS NOT NULL
        UNION
        SELECT f.purchaser, {with} {OpenLines} AND f.purchaser IS NOT NULL
        UNION
        SELECT i.value, {with} FROM shipments s JOIN shipment_facts f ON f.shipment_id = s.id CROSS JOIN {TransactionPartiesSchema.Elements("f.intermediate_consignees", postgres)}
        WHERE s.status IN ('held', 'released') AND f.intermediate_consignees IS NOT NULL
        """;

    /// <summary>
    /// The earliest submission of an open line, as stored (null: none). ExtendedIso ends in Z and drops the fraction's
    /// trailing zeros: without the Z the texts sort as the instants do.
    /// </summary>
    public const string Floor = $"SELECT f.submitted_at {OpenLines} ORDER BY rtrim(f.submitted_at, 'Z') LIMIT 1";

    /// <summary>The submit events above the watermark, with their lines' status and facts (an indexed range of the events' key).</summary>
    public const string Submitted =
        """
        SELECT e.id, s.status, f.end_user, f.consignee, f.destination, f.submitted_at, f.purchaser, f.intermediate_consignees, f.content_version, e.shipment
        FROM shipment_events e JOIN shipments s ON s.id = e.shipment JOIN shipment_facts f ON f.shipment_id = e.shipment
        WHERE e.id > @mark AND e.action = 'submit'
        """;

    /// <summary>A party added (kept already: nothing).</summary>
    public const string Add = "INSERT INTO recheck_parties (name, destination) VALUES (@name, @destination) ON CONFLICT DO NOTHING";

    /// <summary>The mark written (its one row made when missing), with migration 13's content version (<see cref="RecheckLinePartiesSchema"/>).</summary>
    public const string WriteMark =
        """
        INSERT INTO recheck_parties_mark (id, event_id, lines, floor, content_version) VALUES (1, @event, @lines, @floor, @version)
        ON CONFLICT (id) DO UPDATE SET event_id = excluded.event_id, lines = excluded.lines, floor = excluded.floor, content_version = excluded.content_version
        """;
}
