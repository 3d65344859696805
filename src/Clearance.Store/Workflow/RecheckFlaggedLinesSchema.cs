namespace Clearance.Store;

/// <summary>
/// Migration 14 (SQLite): a partial index of the open lines that hold a licence or have a reason. An incremental recheck
/// reads, beside the lines of the parties near a changed entry, the open lines whose licence or reasons something may have
/// changed (<see cref="ShipmentStore.OpenLines"/>: a licence no longer granted, a hold for a licence, a hit on an entry that
/// changed or left its list, an indeterminate reason). A line with neither a licence nor a reason (its reasons <c>[]</c>)
/// meets none of those conditions, and such lines are nearly all of a book (99,420 of the bench book's 100,000):
/// finding the others in <c>shipments_open</c> walked every open line's entry and tested its licence and reasons: 15 ms of
/// SQLite's CPU at every recheck for the 580 lines chosen of 100,000, against 3.3 ms through this index, their rows read
/// (docs/benchmarks.md, branch recheck-warm26).
/// </summary>
/// <remarks>
/// SQLite keeps the index itself: a line enters it when submit writes it held or with a licence, or when a recheck, a
/// release or a licence change gives it a reason or a licence, and leaves it when it closes or is left with neither. A
/// line submitted released without a reason or licence (most of a book) writes nothing more. The index holds the id
/// only: the chosen rows are read from the table for their other columns. PostgreSQL reads the open lines in one query
/// that its planner plans as a whole (it has no <c>shipments_open</c> either): the migration records the version alone.
/// </remarks>
internal static class RecheckFlaggedLinesSchema
{
    /// <summary>The migration's version, here so that both providers' lists take the same.</summary>
    public const int Version = 14;

    /// <summary>The migration's name in schema_migrations.</summary>
    public const string Name = "the open lines with a licence or a reason, indexed for the recheck (SQLite)";

    /// <summary>
    /// The index's condition, which a query must state word for word (SQLite uses a partial index only for a query whose
    /// WHERE holds each of its terms): <see cref="ShipmentStore.OpenLines"/> does.
    /// </summary>
    public const string Condition = "s.status IN ('held', 'released') AND (s.license IS NOT NULL OR s.reasons <> '[]')";

    /// <summary>SQLite: the index, with <see cref="Condition"/> (without the alias).</summary>
    public const string Sqlite = "CREATE INDEX shipments_flagged ON shipments (id) WHERE status IN ('held', 'released') AND (license IS NOT NULL OR reasons <> '[]')";

    /// <summary>PostgreSQL: nothing to create (see the remarks).</summary>
    public const string Postgres = "SELECT 1";
}
