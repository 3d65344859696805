using Dapper;

namespace Clearance.Store.Tests;

// Migration 10 (AuditRowidSchema.Version): on SQLite the audit table rebuilt with its sequence as the rowid (no second
// B-tree for the primary key); on both providers a submitted line's request kept in its row only, its audit record's
// inputs read from there. A database upgraded in place keeps every record, and the chain still verifies.
public sealed class AuditRowidSchemaTests : IDisposable
{
    private static readonly Func<string, string> Upper = s => s.Trim().ToUpperInvariant();
    private readonly TestDatabases _databases = new();

    public void Dispose() => _databases.Dispose();

    /// <summary>A released line (no licence needed) in the check result's form, so that its determination's shared part is stored apart.</summary>
    private static ShipmentSubmission Line(string id) => new(
        id, $"{{\"id\":\"{id}\",\"to\":\"KR\"}}", new DeterminationText($"{{\"id\":\"{id}\",\"as_of\":\"2019-08-20\",\"verdict\":\"not-required\",\"content_version\":\"sha256:test\"}}"),
        [], false, null, null, null, "sha256:test");

    private static T Scalar<T>(IDbProvider provider, string sql)
    {
        using var connection = provider.Open();
        return connection.ExecuteScalar<T>(sql)!;
    }

    /// <summary>Migration 10 undone: every record's inputs stored whole again, the column dropped.</summary>
    private const string InputsStoredWhole =
        """
        UPDATE audit SET inputs = (SELECT request FROM shipments WHERE id = subject) WHERE inputs_from_line = 1;
        ALTER TABLE audit DROP COLUMN inputs_from_line;
        """;

    /// <summary>The audit table as migrations 4 and 9 made it on SQLite: the sequence a column beside the rowid.</summary>
    private const string AuditBeforeRowid =
        $"""
        CREATE TABLE audit_before (
            sequence        BIGINT PRIMARY KEY,
        {WorkflowSchema.AuditColumns},
            shared_sha256   TEXT,
            shared_from_end BIGINT
        );
        INSERT INTO audit_before SELECT * FROM audit;
        DROP TABLE audit;
        ALTER TABLE audit_before RENAME TO audit;
        """;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Open_DatabaseBeforeAuditRowidWithAChain_UpgradedInPlace_RecordsKeptChainVerifies(string provider)
    {
        var database = _databases.Create(provider);
        var store = new ShipmentStore(database.CreateProvider());
        store.Submit([Line("o-1/1"), Line("o-1/2"), Line("o-1/2")], "clearance", Upper);
        store.Submit(Line("o-2/1"), "clearance", Upper);
        var before = store.Audit.Read().ToList();
        using (var connection = database.CreateProvider().Open())
            connection.Execute(TestDatabase.UndoRecheckParties + InputsStoredWhole + (provider == TestDatabase.Sqlite ? AuditBeforeRowid : "") + $"DELETE FROM schema_migrations WHERE version >= {AuditRowidSchema.Version};");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (provider == TestDatabase.Sqlite)
            Assert.Equal(1L, Scalar<long>(database.CreateProvider(), "SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_autoindex_audit_1'"));

        var upgraded = new ShipmentStore(database.CreateProvider());
        upgraded.Submit(Line("o-3/1"), "clearance", Upper);

        Assert.Equal(database.CreateProvider().Migrations[^1].Version, Scalar<int>(database.CreateProvider(), "SELECT MAX(version) FROM schema_migrations"));
        Assert.Equal(before, upgraded.Audit.Read().Take(before.Count));
        Assert.Equal(before.Count + 1, upgraded.Audit.Read().Count());
        Assert.Equal("{\"id\":\"o-3/1\",\"to\":\"KR\"}", upgraded.Audit.Read().Last().Inputs);
        using (var connection = database.CreateProvider().Open())
            Assert.Equal(("", 1L), connection.QuerySingle<(string, long)>("SELECT inputs, inputs_from_line FROM audit WHERE subject = 'o-3/1'"));
        Assert.Equal(before.Count, Scalar<long>(database.CreateProvider(), "SELECT COUNT(*) FROM audit WHERE inputs_from_line IS NULL"));
        Assert.Null(upgraded.Audit.Verify());
        if (provider == TestDatabase.Sqlite)
        {
            Assert.Equal(0L, Scalar<long>(database.CreateProvider(), "SELECT COUNT(*) FROM sqlite_master WHERE tbl_name = 'audit' AND type = 'index'"));
            Assert.Equal(0L, Scalar<long>(database.CreateProvider(), "SELECT COUNT(*) FROM audit WHERE rowid <> sequence"));
        }
    }

    [Fact]
    public void Audit_Sqlite_SequenceIsTheRowid_AnInsertedRecordWithATakenSequenceRefused()
    {
        var database = _databases.Create(TestDatabase.Sqlite);
        var store = new ShipmentStore(database.CreateProvider());
        store.Submit([Line("o-1/1"), Line("o-1/2")], "clearance", Upper);

        using var connection = database.CreateProvider().Open();
        Assert.Equal(0L, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE tbl_name = 'audit' AND type = 'index'"));
        Assert.Equal([1L, 2L], connection.Query<long>("SELECT rowid FROM audit ORDER BY rowid"));
        Assert.Throws<Microsoft.Data.Sqlite.SqliteException>(() => connection.Execute("INSERT INTO audit SELECT * FROM audit WHERE sequence = 2"));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void AuditVerify_RequestKeptInTheLineEditedOrLineDeleted_FirstRecordNamingItCaught(string provider)
    {
        var database = _databases.Create(provider);
        var store = new ShipmentStore(database.CreateProvider());
        store.Submit([Line("o-1/1"), Line("o-1/2"), Line("o-1/3")], "clearance", Upper);
        Assert.Equal(Line("o-1/2").Request, store.Audit.Find(2)!.Inputs);
        Assert.Null(store.Audit.Verify());
        using var connection = database.CreateProvider().Open();

        connection.Execute("UPDATE shipments SET request = '{\"id\":\"o-1/2\",\"to\":\"CN\"}' WHERE id = 'o-1/2'");
        var edited = store.Audit.Verify();
        connection.Execute("DELETE FROM shipment_events WHERE shipment = 'o-1/3'; DELETE FROM shipment_facts WHERE shipment_id = 'o-1/3'; DELETE FROM shipments WHERE id = 'o-1/3'");
        connection.Execute("UPDATE shipments SET request = '{\"id\":\"o-1/2\",\"to\":\"KR\"}' WHERE id = 'o-1/2'");
        var deleted = store.Audit.Verify();

        Assert.Equal((2L, "record 2 altered: its content does not match its hash"), (edited!.Sequence, edited.Problem));
        Assert.Equal((3L, "record 3 altered: its content does not match its hash"), (deleted!.Sequence, deleted.Problem));
    }
}
