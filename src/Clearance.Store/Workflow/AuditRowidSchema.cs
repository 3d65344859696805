namespace Clearance.Store;

/// <summary>
/// Migration 10 (SQLite only): the audit table with <c>sequence INTEGER PRIMARY KEY</c>, SQLite's rowid. Declared
/// <c>BIGINT PRIMARY KEY</c> (migration 4, the same text as on PostgreSQL), the sequence was a column beside the rowid
/// and SQLite kept a second B-tree for it (<c>sqlite_autoindex_audit_1</c>), written for every record: 1.3 records a
/// submitted line. As the rowid, the records are stored in sequence order in the table's own B-tree and every read by
/// sequence (the chain's head, <c>audit replay</c>, verify's ordered scan) is a lookup in it. SQLite cannot change a
/// primary key in place, so the table is rebuilt: the rows copied as they are (their text, and so their hashes,
/// unchanged), the old table dropped, the new one renamed. No table references audit and it has no other index.
/// PostgreSQL has no rowid (its primary key is its only index): nothing to do there.
/// Both providers get the column <c>inputs_from_line</c>: a submitted line's audit record has the line's request as its
/// inputs, which the line's row stores already (about 350 bytes a line); set to 1, the record's inputs are read from
/// <c>shipments.request</c> of its subject instead of being stored twice (<see cref="AuditTrail.StoredRecord"/>). Records
/// written before keep their inputs: nothing is rewritten.
/// </summary>
internal static class AuditRowidSchema
{
    /// <summary>The migration's version (versions run 1, 2, 3... without gaps), here so that both providers' lists take the same.</summary>
    public const int Version = 10;

    /// <summary>The migration's name in schema_migrations.</summary>
    public const string Name = "audit keyed by its sequence as SQLite's rowid (no second B-tree for the primary key); a submitted line's request not stored again in its audit record";

    private const string Columns =
        "sequence, time, actor, action, subject, inputs, outputs, content_version, list_versions, previous_hash, hash, shared_sha256, shared_from_end";

    /// <summary>SQLite: the table rebuilt with the sequence as its rowid.</summary>
    public const string Sqlite =
        $"""
        CREATE TABLE audit_by_rowid (
            sequence        INTEGER PRIMARY KEY,
        {WorkflowSchema.AuditColumns},
            shared_sha256   TEXT,
            shared_from_end BIGINT,
            inputs_from_line INTEGER
        );
        INSERT INTO audit_by_rowid ({Columns}) SELECT {Columns} FROM audit ORDER BY sequence;
        DROP TABLE audit;
        ALTER TABLE audit_by_rowid RENAME TO audit;
        """;

    /// <summary>PostgreSQL: the column only (its <c>BIGINT PRIMARY KEY</c> is the table's one index).</summary>
    public const string Postgres = "ALTER TABLE audit ADD COLUMN inputs_from_line BIGINT";
}
