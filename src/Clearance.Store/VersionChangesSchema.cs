namespace Clearance.Store;

/// <summary>
/// Migration 15: the entries a list version changed against the version it replaced, recorded when it is imported. An
/// incremental recheck after an update screens the open lines' parties against the entries added or changed since the
/// versions their lines were screened against, and looks out for hits on entries changed or removed since
/// (<see cref="ShipmentStore.EntityDiff"/>). Made from <c>version_entities</c>, that difference read both versions
/// whole in each direction (four passes over the ~15,000 entries of the SDN list, ~600 page reads, ~10-20 ms of each
/// recheck); recorded, the recheck reads the ~300 rows of the change. The import makes the same difference once, in its
/// transaction (<see cref="Record"/>). A pair of versions without a record (imported before this migration, or a
/// version activated again over a later one) is still made from <c>version_entities</c>.
/// </summary>
/// <remarks>
/// <c>version_change_sets</c> says which pairs were recorded (a version that changed nothing has a set and no rows);
/// <c>version_changes</c> holds, per pair, each entry present in the newer version with other content or none before
/// (<c>side</c> 1: added or changed) and each present in the older one with other content or none after (<c>side</c>
/// 0: removed or changed), as (entity list, entity id), the difference <see cref="ShipmentStore.EntityDiff"/> makes.
/// </remarks>
internal static class VersionChangesSchema
{
    /// <summary>The migration's version, here so that both providers' lists take the same.</summary>
    public const int Version = 15;

    /// <summary>The migration's name in schema_migrations.</summary>
    public const string Name = "the entries each imported list version changed against the version it replaced";

    /// <summary>SQLite.</summary>
    public const string Sqlite =
        """
        CREATE TABLE version_change_sets (
            version_id      INTEGER NOT NULL REFERENCES list_versions(version_id),
            from_version_id INTEGER NOT NULL REFERENCES list_versions(version_id),
            PRIMARY KEY (version_id, from_version_id)
        ) WITHOUT ROWID;
        CREATE TABLE version_changes (
            version_id      INTEGER NOT NULL,
            from_version_id INTEGER NOT NULL,
            side            INTEGER NOT NULL CHECK (side IN (0, 1)),
            entity_list_id  TEXT NOT NULL,
            entity_id       TEXT NOT NULL,
            PRIMARY KEY (version_id, from_version_id, side, entity_list_id, entity_id),
            FOREIGN KEY (version_id, from_version_id) REFERENCES version_change_sets (version_id, from_version_id)
        ) WITHOUT ROWID
        """;

    /// <summary>PostgreSQL.</summary>
    public const string Postgres =
        """
        CREATE TABLE version_change_sets (
            version_id      BIGINT NOT NULL REFERENCES list_versions(version_id),
            from_version_id BIGINT NOT NULL REFERENCES list_versions(version_id),
            PRIMARY KEY (version_id, from_version_id)
        );
        CREATE TABLE version_changes (
            version_id      BIGINT NOT NULL,
            from_version_id BIGINT NOT NULL,
            side            SMALLINT NOT NULL CHECK (side IN (0, 1)),
            entity_list_id  TEXT COLLATE "C" NOT NULL,
            entity_id       TEXT COLLATE "C" NOT NULL,
            PRIMARY KEY (version_id, from_version_id, side, entity_list_id, entity_id),
            FOREIGN KEY (version_id, from_version_id) REFERENCES version_change_sets (version_id, from_version_id)
        )
        """;

    /// <summary>
    /// One direction of the difference, for <see cref="string.Format(IFormatProvider, string, object[])"/>: {0} and {1}
    /// name the parameters of the version whose entries are kept and of the one they are compared with. Each version's
    /// entries less the other's, compared whole (list, id, content hash); ordered by every column, so that SQLite merges the
    /// two versions, each read in its key order (MERGE (EXCEPT)) rather than probing the other version per entry
    /// (docs/benchmarks.md, branch recheck-warm23). An entry is once in a version (the key), so the set difference leaves
    /// nothing out.
    /// </summary>
    public const string Except =
        """
        SELECT entity_list_id, entity_id, content_hash FROM version_entities WHERE version_id = @{0}
        EXCEPT
        SELECT entity_list_id, entity_id, content_hash FROM version_entities WHERE version_id = @{1}
        ORDER BY 1, 2, 3
        """;

    /// <summary>
    /// Records the difference between version <paramref name="versionId"/> and the version it replaced,
    /// <paramref name="fromVersionId"/>, in the import's transaction.
    /// </summary>
    public static void Record(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, long versionId, long fromVersionId)
    {
        PlainCommand.Execute(connection, "INSERT INTO version_change_sets (version_id, from_version_id) VALUES (@to, @from)", transaction,
            ("to", versionId), ("from", fromVersionId));
        foreach (var (side, kept, other) in new[] { (1, "to", "from"), (0, "from", "to") })
        {
            PlainCommand.Execute(connection,
                $"""
                INSERT INTO version_changes (version_id, from_version_id, side, entity_list_id, entity_id)
                SELECT @to, @from, {side}, d.entity_list_id, d.entity_id FROM (
                {string.Format(System.Globalization.CultureInfo.InvariantCulture, Except, kept, other)}
                ) d
                """, transaction, ("to", versionId), ("from", fromVersionId));
        }
    }
}
