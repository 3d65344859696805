using Clearance.Screening.Lists;
using Clearance.Screening.Matching;
using Npgsql;

namespace Clearance.Store.Tests;

/// <summary>
/// Issue 7 on PostgreSQL: a session that may read but not write (default_transaction_read_only=on, as on a standby, or a
/// role with SELECT grants only) reads (status, entities, screening) and an import through it ends in one clear line
/// (SQLSTATE 25006 "the database is read-only", 42501 "may not write") with nothing changed. A PostgreSQL store keeps its
/// screening snapshot under XDG_DATA_HOME, pointed at the test's folder (hence the collection).
/// </summary>
[Collection(nameof(DatabaseLocationTests))]
public sealed class PostgresReadOnlyTests : IDisposable
{
    private static readonly string Meti = SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv");

    private readonly TestDatabases _databases = new();
    private readonly string? _savedXdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
    private readonly List<string> _roles = [];

    public PostgresReadOnlyTests() =>
        Environment.SetEnvironmentVariable("XDG_DATA_HOME", Path.Combine(_databases.Directory.FullName, "data"));

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("XDG_DATA_HOME", _savedXdg);
        NpgsqlConnection.ClearAllPools();
        foreach (var role in _roles)
            Execute(Server, $"DROP OWNED BY {role}; DROP ROLE {role}");
        _databases.Dispose();
    }

    private static string Server => Environment.GetEnvironmentVariable(TestDatabase.ServerVariable)!;

    private static void Execute(string location, string sql)
    {
        using var connection = new NpgsqlConnection(location);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private static ImportResult Import(ListStore store, string path, string listId = "meti-eul") =>
        store.Import(listId, "meti-eul", MetiEulParser.Parse(path, listId), ListSource.FromFiles([path]));

    /// <summary>The test database's location as a session that may not write, of the kind named.</summary>
    private string ReadOnlySession(TestDatabase database, string kind)
    {
        var builder = new NpgsqlConnectionStringBuilder(database.Location);
        if (kind == "read-only session")
        {
            builder.Options = "-c default_transaction_read_only=on";
            return builder.ConnectionString;
        }
        var role = "clearance_reader_" + Guid.NewGuid().ToString("N")[..12];
        _roles.Add(role);
        Execute(Server, $"CREATE ROLE {role} LOGIN; GRANT USAGE ON SCHEMA {builder.SearchPath} TO {role}; " +
            $"GRANT SELECT ON ALL TABLES IN SCHEMA {builder.SearchPath} TO {role}");
        builder.Username = role;
        return builder.ConnectionString;
    }

    /// <summary>A database with the METI list imported, and a session of the kind named on it that may not write.</summary>
    private (TestDatabase Database, string Location) ImportedThenReadOnly(string kind)
    {
        var database = _databases.Create(TestDatabase.Postgres);
        Import(ListStore.Open(database.Location), Meti);
        return (database, ReadOnlySession(database, kind));
    }

    public static TheoryData<string> Kinds => new() { "read-only session", "role without write grants" };

    [PostgresTheory]
    [MemberData(nameof(Kinds))]
    public void ReadOnlySession_ReadsStatusEntitiesAndScreens(string kind)
    {
        var (_, location) = ImportedThenReadOnly(kind);

        var store = ListStore.OpenForReading(location);

        Assert.Equal(835, Assert.Single(store.Status()).Active.EntityCount);
        Assert.Equal(835, store.LoadActiveEntities().Count);
        var warnings = new List<string>();
        var index = ScreeningIndexFile.Open(location, warnings.Add);
        Assert.Contains(index!.Screen(new ScreeningQuery("Beihang University")), m => m.EntityId == "501");
        Assert.Empty(warnings);
    }

    [PostgresTheory]
    [MemberData(nameof(Kinds))]
    public void ReadOnlySession_Import_OneClearLineAndNothingChanges(string kind)
    {
        var (database, location) = ImportedThenReadOnly(kind);
        var store = ListStore.Open(location);

        var e = Assert.Throws<ListStoreException>(() => Import(store, SharedListFiles.Path("meti_eul", "meti_eul_names_2024-04.csv"), "other"));

        var where = new NpgsqlProvider(location).Location;
        Assert.StartsWith(kind == "read-only session"
            ? $"the database {where} is read-only (a read-only session or a standby server): this command needs to write to it"
            : $"the PostgreSQL user may not write to the database {where} (permission denied", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("; nothing imported for list other", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        var status = Assert.Single(ListStore.Open(database.Location).Status());
        Assert.Equal(("meti-eul", 1, 1), (status.Active.ListId, status.Active.VersionNo, status.VersionCount));
    }

    [PostgresFact]
    public void ReadOnlySession_EmptyDatabase_OneClearLineToImportWithWriteAccessFirst()
    {
        var database = _databases.Create(TestDatabase.Postgres);
        var location = ReadOnlySession(database, "read-only session");

        var write = Assert.Throws<ListStoreException>(() => ListStore.Open(location));
        var read = Assert.Throws<ListStoreException>(() => ListStore.OpenForReading(location));

        Assert.Equal($"the database {new NpgsqlProvider(location).Location} cannot be written in this session (cannot execute CREATE TABLE in a " +
            "read-only transaction), so its clearance tables cannot be created or upgraded: run a command that writes (e.g. clearance lists " +
            "import) with a session and user that may write first", write.Message);
        Assert.Contains("has no clearance tables and is open read-only: import a list with write access first", read.Message, StringComparison.Ordinal);
    }
}

/// <summary>A fact that needs the PostgreSQL test server: skipped when $CLEARANCE_TEST_SKIP_POSTGRES=1.</summary>
internal sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(TestDatabase.OptOutVariable) == "1")
            Skip = $"PostgreSQL cases opted out ({TestDatabase.OptOutVariable}=1)";
    }
}

/// <summary>A theory that needs the PostgreSQL test server: skipped when $CLEARANCE_TEST_SKIP_POSTGRES=1.</summary>
internal sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute()
    {
        if (Environment.GetEnvironmentVariable(TestDatabase.OptOutVariable) == "1")
            Skip = $"PostgreSQL cases opted out ({TestDatabase.OptOutVariable}=1)";
    }
}
