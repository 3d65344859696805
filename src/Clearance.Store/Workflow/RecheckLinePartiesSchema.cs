namespace Clearance.Store;

/// <summary>
/// Migration 13: beside migration 11's distinct parties (<see cref="RecheckPartiesSchema"/>), the recheck keeps which
/// lines name each party, and whether every line it folded in was determined with one content version, so that an
/// incremental recheck finds the lines of the few parties near a changed entry by key instead of testing every open
/// line's facts (one pass over the 100,000 rows of shipment_facts, with a lookup of each row's end user among the
/// parties and a comparison of its content version: ~25-40 ms of SQLite CPU a recheck; docs/benchmarks.md, branch
/// recheck-warm23). Like migration 11's table, both are written by the recheck's fold, never by submit.
/// </summary>
/// <remarks>
/// <para><c>recheck_line_parties (name, shipment_id)</c>: each party (end user, consignee, purchaser, intermediate
/// consignee, as submitted) of each line folded in while open; a superset of the open lines' (a line's parties never
/// change, and a closed line's rows stay until <c>recheck --full</c> drops them). Written with
/// <c>recheck_parties</c>, in the same fold and transaction, so the watermark of <c>recheck_parties_mark</c> covers both.</para>
/// <para><c>recheck_parties_mark.content_version</c>: when not null, every open line folded in (at or below the watermark)
/// was determined with that content version. The fold makes it null when it folds in a line of another version; a
/// recheck's transaction that writes a line's content version makes it null unless it is that version; a filtered
/// read of the open lines (<see cref="ShipmentStore.OpenLines"/>) sets it, under the workflow's lock, to the version it
/// asks about when no open line has another. A line submitted after the fold (above the watermark) is read at the next
/// recheck, as one submitted after the read is.</para>
/// <para>At the upgrade the mark is deleted: the next recheck builds both sets whole, as a database's first one does.</para>
/// </remarks>
internal static class RecheckLinePartiesSchema
{
    /// <summary>The migration's version, here so that both providers' lists take the same.</summary>
    public const int Version = 13;

    /// <summary>The migration's name in schema_migrations.</summary>
    public const string Name = "the lines of each kept party and the content version of the kept lines, kept by the recheck";

    private const string Mark =
        """
        ALTER TABLE recheck_parties_mark ADD COLUMN content_version TEXT;
        DELETE FROM recheck_parties_mark;
        """;

    private const string Table =
        """
        CREATE TABLE recheck_line_parties (
            name        TEXT NOT NULL,
            shipment_id TEXT NOT NULL,
            PRIMARY KEY (name, shipment_id)
        )
        """;

    /// <summary>SQLite: the table in key order (a party's lines together), without rowid.</summary>
    public const string Sqlite = $"{Table} WITHOUT ROWID;\n{Mark}";

    /// <summary>PostgreSQL: the same table.</summary>
    public const string Postgres = $"{Table};\n{Mark}";

    /// <summary>The set made whole from the open lines as they are (with <see cref="RecheckPartiesSchema.Rebuild"/>).</summary>
    public static string Rebuild(bool postgres) =>
        $"""
        DELETE FROM recheck_line_parties;
        INSERT INTO recheck_line_parties (name, shipment_id)
        {RecheckPartiesSchema.OpenLineParties("f.shipment_id", postgres)}
        """;

    /// <summary>
    /// <c>--full</c>'s compaction: the rows of lines no longer open dropped (a line never opens again). On SQLite the
    /// closed lines are the ranges of <c>shipments_open</c> around 'held' and 'released' (<see cref="ShipmentStore.OpenCountSqlite"/>).
    /// </summary>
    public static string DropClosed(bool postgres) => postgres
        ? "DELETE FROM recheck_line_parties WHERE shipment_id IN (SELECT id FROM shipments WHERE status NOT IN ('held', 'released'))"
        : "DELETE FROM recheck_line_parties WHERE shipment_id IN (SELECT id FROM shipments WHERE status < 'held' OR (status > 'held' AND status < 'released') OR status > 'released')";

    /// <summary>
    /// The mark's content version set to <c>@version</c> when no open line has another, else made null: in a transaction
    /// under the workflow's lock, so that no submit or recheck writes a line meanwhile.
    /// </summary>
    public static string Settle(bool postgres) =>
        $"""
        UPDATE recheck_parties_mark SET content_version = CASE WHEN EXISTS
          (SELECT 1 {RecheckPartiesSchema.OpenLines} AND f.content_version {(postgres ? "IS DISTINCT FROM" : "IS NOT")} @version) THEN NULL ELSE @version END
        """;

    /// <summary>A line written with content version <c>@version</c>: the mark no longer holds for every line unless it is that version.</summary>
    public static string Written(bool postgres) =>
        $"UPDATE recheck_parties_mark SET content_version = NULL WHERE content_version {(postgres ? "IS DISTINCT FROM" : "IS NOT")} @version";
}
