namespace Clearance.Store;

/// <summary>
/// Migration 8: what a recheck needs to know of every open line, kept apart from the stored request and determination
/// (a kilobyte or more a line) so that a recheck reads a few bytes a line instead of the whole shipments table. Kept
/// apart from the providers' migration lists so that its number can change when migrations are merged.
/// </summary>
internal static class ShipmentFactsSchema
{
    /// <summary>The migration's name in schema_migrations.</summary>
    public const string Name = "shipment facts (parties, destination, requested licence, content version) for rechecks";

    private const string Table =
        """
        CREATE TABLE shipment_facts (
            shipment_id       TEXT PRIMARY KEY REFERENCES shipments(id),
            end_user          TEXT,
            consignee         TEXT,
            destination       TEXT NOT NULL,
            requested_license TEXT,
            content_version   TEXT,
            submitted_at      TEXT NOT NULL
        )
        """;

    private const string Insert =
        "INSERT INTO shipment_facts (shipment_id, end_user, consignee, destination, requested_license, content_version, submitted_at)";

    /// <summary>
    /// A line's whole determination once migration 9 keeps the shared part apart (<see cref="DeterminationSchema"/>); at
    /// migration 8 the column alone is it.
    /// </summary>
    private const string WholeDetermination =
        "(s.determination || COALESCE((SELECT body FROM determinations WHERE sha256 = s.determination_sha256), ''))";

    /// <summary>
    /// Fills in the facts of lines that have none, from their stored requests and determinations (SQLite): at the
    /// migration every line; later the lines written without them (by an older release's writer, or straight into the
    /// database). A text that is not JSON (SQLite keeps whatever it is given) gives no facts rather than failing the upgrade.
    /// </summary>
    public static readonly string FillMissingSqlite = FillSqlite(WholeDetermination);

    /// <summary>The same for PostgreSQL.</summary>
    public static readonly string FillMissingPostgres = FillPostgres(WholeDetermination);

    private static string FillSqlite(string determination) =>
        $$"""
        {{Insert}}
        SELECT id, json_extract(r, '$.end_user'), json_extract(r, '$.consignee'), COALESCE(json_extract(r, '$.to'), ''),
               json_extract(r, '$.license'), json_extract(d, '$.content_version'), submitted_at
        FROM (SELECT id, submitted_at, CASE WHEN json_valid(request) THEN request ELSE '{}' END AS r, CASE WHEN json_valid({{determination}}) THEN {{determination}} ELSE '{}' END AS d
              FROM shipments s WHERE NOT EXISTS (SELECT 1 FROM shipment_facts f WHERE f.shipment_id = s.id)) AS missing
        """;

    private static string FillPostgres(string determination) =>
        $"""
        {Insert}
        SELECT id, (request::json)->>'end_user', (request::json)->>'consignee', COALESCE((request::json)->>'to', ''),
               (request::json)->>'license', ({determination}::json)->>'content_version', submitted_at
        FROM shipments s WHERE NOT EXISTS (SELECT 1 FROM shipment_facts f WHERE f.shipment_id = s.id)
        """;

    /// <summary>
    /// SQLite: the facts table (without rowid: read in key order), filled, and an index on shipments that holds every
    /// column a recheck looks at to choose the open lines it reads (status, licence, reasons), so that it reads the
    /// table's rows only of the lines it chose. The demand (twice the size of the reasons) is left out: every line
    /// submitted writes the index, and only the lines chosen need their demand.
    /// </summary>
    public static readonly string Sqlite =
        $"""
        {Table} WITHOUT ROWID;
        {FillSqlite("s.determination")};
        CREATE INDEX shipments_open ON shipments (status, id, license, reasons);
        """;

    /// <summary>PostgreSQL: the same table, filled the same way (no covering index: the rows are read from the heap either way).</summary>
    public static readonly string Postgres =
        $"""
        {Table};
        {FillPostgres("s.determination")}
        """;
}
