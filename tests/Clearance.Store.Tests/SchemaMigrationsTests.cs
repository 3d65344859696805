using System.Data.Common;
using Clearance.Screening;
using Dapper;
using NodaTime;

namespace Clearance.Store.Tests;

// Every case runs on both providers, as the store's other tests do (TestDatabase).
public sealed class SchemaMigrationsTests : IDisposable
{
    private const string AdoptedSuffix = " (adopted: made by a release before schema versions)";

    /// <summary>The latest schema version this build knows.</summary>
    private static readonly int Latest = new SqliteProvider("unused.db").Migrations[^1].Version;

    /// <summary>A migration a later release might add after this build's: a nullable column, so existing rows stay valid.</summary>
    private static readonly SchemaMigration ListNotes = new(Latest + 1, "list notes", "ALTER TABLE lists ADD COLUMN note TEXT NULL");

    /// <summary>The versions of this build's migrations and <see cref="ListNotes"/>.</summary>
    private static readonly int[] VersionsWithListNotes = [.. Enumerable.Range(1, Latest + 1)];

    private readonly TestDatabases _databases = new();

    public void Dispose() => _databases.Dispose();

    private TestDatabase NewDatabase(string provider) => _databases.Create(provider);

    /// <summary>A database as the releases before schema versions left it, with one list version (<see cref="PreviousReleaseDatabase"/>).</summary>
    private TestDatabase NewPreviousReleaseDatabase(string provider)
    {
        var database = NewDatabase(provider);
        PreviousReleaseDatabase.Create(database, provider);
        return database;
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Open_FreshDatabase_AppliesEveryMigrationAndRecordsIt(string provider)
    {
        var database = NewDatabase(provider);

        var store = new ListStore(database.CreateProvider(), new FixedClock(Instant.FromUtc(2026, 3, 1, 12, 0)));

        var expected = database.CreateProvider().Migrations.Select(m => (m.Version, m.Name, "2026-03-01T12:00:00Z"));
        Assert.Equal(expected, Migrations(database));
        Assert.Empty(store.Status());
        Assert.Contains("version_entities", Tables(database));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Open_Reopened_AppliesNothingNew(string provider)
    {
        var database = NewDatabase(provider);
        new ListStore(database.CreateProvider(), new FixedClock(Instant.FromUtc(2026, 3, 1, 12, 0))).Import(
            PreviousReleaseDatabase.ListId, "meti-eul", [Beihang()], Source("eul.csv"));
        var before = Migrations(database);

        var reopened = new ListStore(database.CreateProvider(), new FixedClock(Instant.FromUtc(2026, 4, 1, 12, 0)));

        Assert.Equal(before, Migrations(database));
        Assert.Equal(1, Assert.Single(reopened.Status()).Active.EntityCount);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Open_PreviousReleaseDatabase_AdoptedAsVersionOneAndItsListReadable(string provider)
    {
        var database = NewPreviousReleaseDatabase(provider);

        var store = ListStore.Open(database.Location);

        var first = database.CreateProvider().Migrations[0];
        var applied = Migrations(database);
        Assert.Equal((1, first.Name + AdoptedSuffix), (applied[0].Version, applied[0].Name));
        Assert.Equal(Enumerable.Range(1, Latest), applied.Select(m => m.Version));
        var status = Assert.Single(store.Status());
        Assert.Equal((PreviousReleaseDatabase.ListId, 1, 2, 3), (status.Active.ListId, status.Active.VersionNo, status.Active.EntityCount, status.Active.NameCount));
        Assert.Equal(new LocalDate(2025, 9, 29), status.Active.SourceDate);
        Assert.Equal("/data/meti_eul_2025-09-29.csv", Assert.Single(status.Active.SourceFiles).Path);
        var entities = store.LoadActiveEntities();
        Assert.Equal(["Beihang University", "Acme Trading"], entities.Select(e => e.PrimaryName));
        Assert.Equal(Beihang().Aliases, entities[0].Aliases);
        Assert.Equal("12345", Assert.Single(entities[1].Identifiers).Value);
        Assert.Equal(new LocalDate(2025, 9, 29), entities[0].SourceDate);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Import_AfterAdoptingPreviousReleaseDatabase_NewVersionDiffsAgainstOldData(string provider)
    {
        var database = NewPreviousReleaseDatabase(provider);
        var store = ListStore.Open(database.Location);

        var result = store.Import(PreviousReleaseDatabase.ListId, "meti-eul", [Beihang(), Entity("3", "New Entity Ltd")], Source("eul-2.csv"),
            allowShrink: true); // removes one of two entries

        // Entry 1 is unchanged: the previous release's stored content hashes equal those the current code computes.
        Assert.Equal(2, result.Version.VersionNo);
        Assert.Equal(["3"], result.Changes!.Added.Select(r => r.EntityId));
        Assert.Equal(["2"], result.Changes.Removed.Select(r => r.EntityId));
        Assert.Empty(result.Changes.Changed);
        Assert.Equal(2, store.LoadEntities(PreviousReleaseDatabase.ListId, 1).Count);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Open_PreviousReleaseDatabaseAndLaterMigration_UpgradedInPlace(string provider)
    {
        var database = NewPreviousReleaseDatabase(provider);

        var store = new ListStore(new ProviderWith(database.CreateProvider(), ListNotes));

        Assert.Equal(VersionsWithListNotes, Migrations(database).Select(m => m.Version));
        Assert.Equal("list notes", Migrations(database)[^1].Name);
        using (var connection = database.CreateProvider().Open())
            Assert.Null(connection.ExecuteScalar<string?>("SELECT note FROM lists WHERE list_id = 'meti-eul'"));
        Assert.Equal(2, store.LoadActiveEntities().Count);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Open_MigrationFails_DatabaseStaysAtLastCompleteVersion(string provider)
    {
        var database = NewDatabase(provider);
        ListStore.Open(database.Location);
        var broken = new SchemaMigration(Latest + 2, "broken", "ALTER TABLE lists ADD COLUMN half_done TEXT NULL; SELECT no_such_column FROM lists");

        Assert.ThrowsAny<DbException>(() => new ListStore(new ProviderWith(database.CreateProvider(), ListNotes, broken)));

        Assert.Equal(VersionsWithListNotes, Migrations(database).Select(m => m.Version));
        using var connection = database.CreateProvider().Open();
        Assert.ThrowsAny<DbException>(() => connection.ExecuteScalar("SELECT half_done FROM lists"));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Open_NewerSchemaVersion_RefusedNamingBothVersionsAndLeftUnchanged(string provider)
    {
        var database = NewDatabase(provider);
        ListStore.Open(database.Location).Import(PreviousReleaseDatabase.ListId, "meti-eul", [Beihang()], Source("eul.csv"));
        var future = Latest + 6;
        using (var connection = database.CreateProvider().Open())
            connection.Execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@future, 'from a later release', '2030-01-01T00:00:00Z')", new { future });
        var (migrationsBefore, tablesBefore) = (Migrations(database), Tables(database));

        // A pending migration of this build must not be applied either.
        var e = Assert.Throws<SchemaVersionException>(() =>
            new ListStore(new ProviderWith(database.CreateProvider(), ListNotes)));

        Assert.Equal(
            $"database schema version {future} of {database.CreateProvider().Location} is newer than this clearance supports (version {ListNotes.Version}); upgrade clearance",
            e.Message);
        Assert.Equal((future, ListNotes.Version), (e.DatabaseVersion, e.SupportedVersion));
        Assert.IsAssignableFrom<ListStoreException>(e);
        Assert.Equal(migrationsBefore, Migrations(database));
        Assert.Equal(tablesBefore, Tables(database));
        using (var connection = database.CreateProvider().Open())
            Assert.ThrowsAny<DbException>(() => connection.ExecuteScalar("SELECT note FROM lists"));
        Assert.Throws<SchemaVersionException>(() => ListStore.Open(database.Location));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Open_SomePreviousReleaseTablesMissing_RefusedNamingThem(string provider)
    {
        var database = NewDatabase(provider);
        using (var connection = database.CreateProvider().Open())
            connection.Execute("CREATE TABLE lists (list_id TEXT PRIMARY KEY, format TEXT NOT NULL, active_version BIGINT NULL)");

        var e = Assert.Throws<ListStoreException>(() => ListStore.Open(database.Location));

        Assert.Contains("has the table(s) lists but not list_versions, entity_data, version_entities, and no schema_migrations table", e.Message);
        Assert.Equal(["lists"], Tables(database));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Open_ConcurrentOpenersOfNewDatabase_EachMigrationAppliedOnce(string provider)
    {
        var database = NewDatabase(provider);

        const int openers = 8;
        // Released together, on threads of their own, so that the openers really overlap.
        using var start = new Barrier(openers);
        await Task.WhenAll(Enumerable.Range(0, openers).Select(_ => Task.Factory.StartNew(() =>
        {
            var provider = new ProviderWith(database.CreateProvider(), ListNotes);
            start.SignalAndWait();
            return new ListStore(provider);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)));

        Assert.Equal(VersionsWithListNotes, Migrations(database).Select(m => m.Version));
    }

    [Fact]
    public void Migrations_BothProviders_NumberedFromOneInOrderWithTheSameNames()
    {
        var sqlite = new SqliteProvider(Path.Combine(_databases.Directory.FullName, "unused.db")).Migrations;
        var postgres = new NpgsqlProvider("Host=unused;Database=unused").Migrations;

        Assert.Equal(Enumerable.Range(1, sqlite.Count), sqlite.Select(m => m.Version));
        Assert.Equal(sqlite.Select(m => (m.Version, m.Name)), postgres.Select(m => (m.Version, m.Name)));
    }

    private static List<(int Version, string Name, string AppliedAt)> Migrations(TestDatabase database)
    {
        using var connection = database.CreateProvider().Open();
        return connection.Query<(long, string, string)>("SELECT version, name, applied_at FROM schema_migrations ORDER BY version")
            .Select(r => ((int)r.Item1, r.Item2, r.Item3)).ToList();
    }

    private static List<string> Tables(TestDatabase database)
    {
        var provider = database.CreateProvider();
        using var connection = provider.Open();
        var sql = provider is SqliteProvider
            ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            : "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema()";
        return connection.Query<string>(sql).Order(StringComparer.Ordinal).ToList();
    }

    private static ListEntity Beihang() => new(
        PreviousReleaseDatabase.ListId, "1", EntityKind.Organization, "Beihang University",
        [new EntityAlias("Beijing University of Aeronautics and Astronautics", AliasStrength.Strong)],
        ["Beijing"], ["CN"], [], [], ["Missile"], null, null);

    private static ListEntity Entity(string id, string name) =>
        new(PreviousReleaseDatabase.ListId, id, EntityKind.Organization, name, [], [], [], [], [], [], null, null);

    private static ListSource Source(string path) => new([new SourceFile("/data/" + path, "bb" + path.Length, 10)], null);

    private sealed class FixedClock(Instant now) : IClock
    {
        public Instant GetCurrentInstant() => now;
    }

    /// <summary>A provider with migrations added after its own, as a later release would add them.</summary>
    private sealed class ProviderWith(IDbProvider provider, params SchemaMigration[] later) : IDbProvider
    {
        public string Location => provider.Location;
        public string LocalPath => provider.LocalPath;
        public IReadOnlyList<SchemaMigration> Migrations { get; } = [.. provider.Migrations, .. later];
        public string? SchemaLockSql => provider.SchemaLockSql;
        public string? ImportLockSql => provider.ImportLockSql;
        public string TableExistsSql => provider.TableExistsSql;
        public DbConnection Open() => provider.Open();
    }
}
