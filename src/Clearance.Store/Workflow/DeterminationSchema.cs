namespace Clearance.Store;

/// <summary>
/// Migration 9: a determination's shared part stored once. Of a submitted line's determination only the first members
/// are the line's own (its id and date, see <see cref="SharedDetermination"/>); the rest (verdict, grounds, citations,
/// explanation, content version: about a kilobyte) is the same for every line of the same item, destination, period and
/// facts: 217 distinct ones in the 100,000 lines of the submit benchmark. That rest is kept once in
/// <c>determinations</c>, keyed by the SHA-256 of its text; the line's row and its audit record keep their own part and
/// the key. The full text is the line's part followed by the shared one (for an audit record: the shared part inserted
/// before the last <c>shared_from_end</c> characters of its outputs), and the audit hash is still computed over that full text, so an edit of a shared
/// row breaks the chain at the first record that names it. A recheck stores the determinations it writes the same way
/// (since recheck-warm25; before, it wrote them whole, without a key). Rows written before the upgrade, and rows a
/// recheck wrote before then, have no key and keep their whole text: nothing is rewritten at the upgrade.
/// </summary>
internal static class DeterminationSchema
{
    /// <summary>The migration's name in schema_migrations.</summary>
    public const string Name = "determinations stored once: the shared part of a line's determination, referenced by the line and its audit record";

    /// <summary>The columns that reference a shared part (no foreign key: it would cost a lookup per line written, and the audit chain already catches a missing row).</summary>
    private const string Columns =
        """
        ALTER TABLE shipments ADD COLUMN determination_sha256 TEXT;
        ALTER TABLE audit ADD COLUMN shared_sha256 TEXT;
        ALTER TABLE audit ADD COLUMN shared_from_end BIGINT;
        """;

    /// <summary>
    /// SQLite: the table without rowid (read by key only), and the index on status alone dropped: <c>shipments_open</c>
    /// (status, id, licence, reasons) of migration 8 answers every read by status, and each line written paid for both.
    /// </summary>
    public const string Sqlite =
        $"""
        CREATE TABLE determinations (sha256 TEXT PRIMARY KEY, body TEXT NOT NULL) WITHOUT ROWID;
        {Columns}
        DROP INDEX shipments_status;
        """;

    /// <summary>PostgreSQL: the same table and columns (shipments_status kept: PostgreSQL has no shipments_open).</summary>
    public const string Postgres =
        $"""
        CREATE TABLE determinations (sha256 TEXT PRIMARY KEY, body TEXT NOT NULL);
        {Columns}
        """;
}
