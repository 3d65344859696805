using Npgsql;

namespace Clearance.Store.Tests;

/// <summary>
/// A fresh, empty database for one test, on either provider: a SQLite file in a temporary folder, or a schema of its own
/// on the real PostgreSQL server named by $CLEARANCE_TEST_POSTGRES (./test.sh starts one: scripts/test-postgres.sh),
/// dropped afterwards. With no server configured the PostgreSQL cases fail, unless $CLEARANCE_TEST_SKIP_POSTGRES=1.
/// </summary>
internal sealed class TestDatabase : IDisposable
{
    public const string ServerVariable = "CLEARANCE_TEST_POSTGRES";
    public const string OptOutVariable = "CLEARANCE_TEST_SKIP_POSTGRES";
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgresql";

    private readonly string? _schema;
    private readonly string? _serverConnectionString;

    private TestDatabase(string location, string? serverConnectionString, string? schema)
    {
        Location = location;
        _serverConnectionString = serverConnectionString;
        _schema = schema;
    }

    /// <summary>The providers the store's test cases run on: both, unless the PostgreSQL ones are explicitly opted out of.</summary>
    public static TheoryData<string> Providers =>
        Environment.GetEnvironmentVariable(OptOutVariable) == "1" ? new TheoryData<string> { Sqlite } : new TheoryData<string> { Sqlite, Postgres };

    /// <summary>The location to give <see cref="ListStore.Open(string)"/> (a file path or a connection string).</summary>
    public string Location { get; }

    /// <summary>The provider for <see cref="Location"/>, for the constructor of <see cref="ListStore"/>.</summary>
    public IDbProvider CreateProvider() => _schema is null ? new SqliteProvider(Location) : new NpgsqlProvider(Location);

    /// <summary>A new empty database on <paramref name="provider"/>; SQLite files go into <paramref name="directory"/>.</summary>
    public static TestDatabase Create(string provider, TempDirectory directory, string name = "clearance.db")
    {
        if (provider == Sqlite)
            return new TestDatabase(Path.Combine(directory.FullName, name), null, null);
        var server = Environment.GetEnvironmentVariable(ServerVariable);
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new InvalidOperationException(
                $"the PostgreSQL store tests need a PostgreSQL server: set {ServerVariable} to a connection string " +
                $"(e.g. Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres; ./test.sh starts a throwaway server with " +
                $"scripts/test-postgres.sh), or set {OptOutVariable}=1 to run the SQLite cases only");
        }
        var schema = "t_" + Guid.NewGuid().ToString("N");
        using (var connection = new NpgsqlConnection(server))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            command.ExecuteNonQuery();
        }
        var location = new NpgsqlConnectionStringBuilder(server) { SearchPath = schema }.ConnectionString;
        return new TestDatabase(location, server, schema);
    }

    /// <summary>Migration 15 undone: the recorded changes of each imported list version.</summary>
    public const string UndoVersionChanges = "DROP TABLE version_changes; DROP TABLE version_change_sets;\n";

    /// <summary>Migration 14 undone (after 15): the partial index of the open lines with a licence or a reason (SQLite; PostgreSQL has none).</summary>
    public const string UndoFlaggedLines = UndoVersionChanges + "DROP INDEX IF EXISTS shipments_flagged;\n";

    /// <summary>Migration 13 undone (after 14): the recheck's kept lines of each party and the mark's content version.</summary>
    public const string UndoLineParties = UndoFlaggedLines +
        "DROP TABLE recheck_line_parties; ALTER TABLE recheck_parties_mark DROP COLUMN content_version;\n";

    /// <summary>Migration 12 undone (after 13): the purchaser and intermediate consignees of <c>shipment_facts</c>.</summary>
    public const string UndoTransactionParties = UndoLineParties +
        "ALTER TABLE shipment_facts DROP COLUMN purchaser; ALTER TABLE shipment_facts DROP COLUMN intermediate_consignees;\n";

    /// <summary>
    /// SQL that takes a database back from the latest schema to what a release before migration 11 left: migration 12's
    /// columns first (a test that rewinds past 12 runs it again at open), then migration 11's tables, the recheck's kept
    /// parties (a database of an earlier version has neither table).
    /// </summary>
    public const string UndoRecheckParties = UndoTransactionParties + "DROP TABLE recheck_parties; DROP TABLE recheck_parties_mark;\n";

    /// <summary>
    /// SQL that takes a database back from the latest schema to what a release before migration 9 left (the
    /// schema_migrations rows aside, which the caller removes with whatever else it undoes): first migration 11's tables, then migration 10's column
    /// (each submitted line's request in its audit record again), then each determination whole in its line and in its
    /// audit record again, no determinations table, no key columns, and on SQLite the index on status. (SQLite's audit
    /// table stays a rowid table: migration 10 run again rebuilds it the same.)
    /// </summary>
    public static string UndoSharedDeterminations(string provider) => UndoRecheckParties +
        """
        UPDATE audit SET inputs = (SELECT request FROM shipments WHERE id = subject) WHERE inputs_from_line = 1;
        ALTER TABLE audit DROP COLUMN inputs_from_line;
        UPDATE audit SET outputs = substr(outputs, 1, length(outputs) - CAST(shared_from_end AS INTEGER)) || (SELECT body FROM determinations WHERE sha256 = shared_sha256)
            || substr(outputs, length(outputs) - CAST(shared_from_end AS INTEGER) + 1) WHERE shared_sha256 IS NOT NULL;
        UPDATE shipments SET determination = determination || (SELECT body FROM determinations WHERE sha256 = determination_sha256) WHERE determination_sha256 IS NOT NULL;
        ALTER TABLE audit DROP COLUMN shared_sha256;
        ALTER TABLE audit DROP COLUMN shared_from_end;
        ALTER TABLE shipments DROP COLUMN determination_sha256;
        DROP TABLE determinations;
        """ + (provider == Sqlite ? "CREATE INDEX shipments_status ON shipments(status);" : "");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_schema is null)
            return;
        var location = new NpgsqlConnectionStringBuilder(Location);
        NpgsqlConnection.ClearPool(new NpgsqlConnection(location.ConnectionString));
        using var connection = new NpgsqlConnection(_serverConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"DROP SCHEMA {_schema} CASCADE", connection);
        command.ExecuteNonQuery();
    }
}

/// <summary>The databases of one test class, made in one temporary folder and all removed with it.</summary>
internal sealed class TestDatabases : IDisposable
{
    private readonly List<TestDatabase> _databases = [];

    /// <summary>The folder of the SQLite files, also for other files a test writes.</summary>
    public TempDirectory Directory { get; } = new();

    /// <summary>A new empty database on <paramref name="provider"/> (see <see cref="TestDatabase.Create"/>).</summary>
    public TestDatabase Create(string provider, string name = "clearance.db")
    {
        var database = TestDatabase.Create(provider, Directory, name);
        _databases.Add(database);
        return database;
    }

    public void Dispose()
    {
        foreach (var database in _databases)
            database.Dispose();
        Directory.Dispose();
    }
}
