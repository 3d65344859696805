using Clearance.Screening;
using Clearance.Screening.Lists;

namespace Clearance.Store.Tests;

// An import never wipes or truncates a list: empty and shrinking versions are refused, imports of one list take turns.
// Every case runs on both providers (TestDatabase).
public sealed class ListStoreSafeImportTests : IDisposable
{
    private static readonly string Meti = SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv");

    private readonly TestDatabases _databases = new();

    public void Dispose() => _databases.Dispose();

    private TestDatabase NewDatabase(string provider) => _databases.Create(provider);

    private static ImportResult ImportFile(ListStore store, string format, string path, bool allowShrink = false) =>
        store.Import(ListFiles.DefaultListId(format, [path]), format, ListFiles.ParseAny(format, [path], null), ListSource.FromFiles([path]), allowShrink);

    /// <summary>The METI file cut to its header and the first <paramref name="rows"/> rows, in the test's temporary folder.</summary>
    private string MetiRows(int rows) =>
        _databases.Directory.Write($"meti-{rows}.csv", string.Join("\n", File.ReadLines(Meti).Take(1 + rows)) + "\n");

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Import_ZeroByteFile_RefusedAndActiveVersionStays(string provider)
    {
        var store = ListStore.Open(NewDatabase(provider).Location);
        var first = ImportFile(store, "ofac-csv", SharedListFiles.Path("ofac_sdn", "sdn_2024-05-03.csv"));
        var empty = _databases.Directory.WriteBytes("sdn.csv", []);

        var e = Assert.Throws<ListStoreException>(() => ImportFile(store, "ofac-csv", empty));

        Assert.Equal($"{empty} contains no entries: nothing imported; the active version 1 of list ofac-sdn stays", e.Message);
        var status = Assert.Single(store.Status());
        Assert.Equal((1, 1, first.Version.EntityCount), (status.Active.VersionNo, status.VersionCount, status.Active.EntityCount));
        Assert.Equal(first.Version.EntityCount, store.LoadActiveEntities().Count);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Import_HeaderOnlyCsv_RefusedEvenAsFirstVersion(string provider)
    {
        var store = ListStore.Open(NewDatabase(provider).Location);
        var header = MetiRows(0);

        var e = Assert.Throws<ListStoreException>(() => ImportFile(store, "meti-eul", header));

        Assert.Equal($"{header} contains no entries: nothing imported; list meti-eul has no version yet", e.Message);
        Assert.Empty(store.Status());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Import_TenthOfTheEntries_RefusedWithoutAllowShrink(string provider)
    {
        var store = ListStore.Open(NewDatabase(provider).Location);
        var total = ImportFile(store, "meti-eul", Meti).Version.EntityCount;
        var tenth = MetiRows(total / 10);

        var e = Assert.Throws<ListStoreException>(() => ImportFile(store, "meti-eul", tenth));

        // The message names the first removed entries by id (ordinal), as the list has them.
        var removed = MetiEulParser.Parse(Meti).Skip(total / 10).OrderBy(r => r.EntityId, StringComparer.Ordinal).Take(ListStore.RemovedExamplesShown)
            .Select(r => $"meti-eul/{r.EntityId} '{r.PrimaryName}'");
        Assert.Equal(
            $"the new version of list meti-eul removes {total - total / 10:N0} of the {total:N0} entries of version 1 (more than 10 %; " +
            $"among them {string.Join(", ", removed)}, ...): " +
            "nothing imported; the active version 1 stays; if the list really shrank, import again with --allow-shrink", e.Message);
        var status = Assert.Single(store.Status());
        Assert.Equal((1, 1, total), (status.Active.VersionNo, status.VersionCount, status.Active.EntityCount));
        Assert.Equal(total, store.LoadActiveEntities().Count);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Import_TenthOfTheEntriesWithAllowShrink_ImportsAndRecordsIt(string provider)
    {
        var store = ListStore.Open(NewDatabase(provider).Location);
        var total = ImportFile(store, "meti-eul", Meti).Version.EntityCount;

        var result = ImportFile(store, "meti-eul", MetiRows(total / 10), allowShrink: true);

        Assert.Equal((2, total / 10), (result.Version.VersionNo, result.Version.EntityCount));
        Assert.Equal($"shrink allowed (--allow-shrink): removes {total - total / 10:N0} of the {total:N0} entries of version 1", result.Version.Note);
        Assert.Equal(result.Version.Note, store.Versions("meti-eul")[1].Note);
        Assert.Null(store.Versions("meti-eul")[0].Note);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Import_RemovingAtMostATenth_NeedsNoFlag(string provider)
    {
        var store = ListStore.Open(NewDatabase(provider).Location);
        var total = ImportFile(store, "meti-eul", Meti).Version.EntityCount;

        var result = ImportFile(store, "meti-eul", MetiRows(total - total / 10));

        Assert.Equal(2, result.Version.VersionNo);
        Assert.Null(result.Version.Note);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void ApplyChanges_DeletingMostOfTheList_RefusedWithoutAllowShrink(string provider)
    {
        var store = ListStore.Open(NewDatabase(provider).Location);
        var entities = MetiEulParser.Parse(Meti).Take(10).ToList();
        store.Import("meti-eul", "meti-eul", entities, ListSource.FromFiles([Meti]));
        var deletes = entities.Take(5).Select(e => new ListChange(ListChangeKind.Remove, e.EntityId, null)).ToList();

        var e = Assert.Throws<ListStoreException>(() => store.ApplyChanges("meti-eul", "meti-eul", deletes, new ListSource([new SourceFile("delta", "d", 1)], null)));

        Assert.Contains("removes 5 of the 10 entries of version 1", e.Message);
        Assert.Equal(10, Assert.Single(store.Status()).Active.EntityCount);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Import_ConcurrentImportsOfOneList_TakeTurns(string provider)
    {
        var database = NewDatabase(provider);
        var entities = MetiEulParser.Parse(Meti).ToList();
        const int imports = 4;
        using var start = new Barrier(imports);

        // Each import leaves out a different entry, from its own (pretend) file, so none is "unchanged" and none shrinks much.
        var results = Enumerable.Range(0, imports).Select(i => Task.Factory.StartNew(() =>
        {
            var store = ListStore.Open(database.Location);
            start.SignalAndWait();
            return store.Import("meti-eul", "meti-eul", entities.Where((_, n) => n != i), new ListSource([new SourceFile($"eul-{i}.csv", $"{i}", 1)], null));
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        var done = await Task.WhenAll(results);

        var versions = ListStore.Open(database.Location).Versions("meti-eul");
        Assert.Equal([1, 2, 3, 4], versions.Select(v => v.VersionNo));
        Assert.All(versions, v => Assert.Equal(entities.Count - 1, v.EntityCount));
        // Each diff is against the version that was active when the import wrote, never a stale one.
        Assert.Equal([2, 3, 4], done.Where(r => r.Changes is not null)
            .Select(r => (r.Changes!.FromVersion + 1, r.Changes.ToVersion)).Where(p => p.Item1 == p.ToVersion).Select(p => p.ToVersion).Order());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Import_WriteLockHeldElsewhere_OneLineErrorAfterTheTimeout(string provider)
    {
        var database = NewDatabase(provider);
        var entities = MetiEulParser.Parse(Meti).ToList();
        ListStore.Open(database.Location).Import("meti-eul", "meti-eul", entities, ListSource.FromFiles([Meti]));
        // What a running import holds: SQLite's write lock, or PostgreSQL's import lock of the same list.
        using var holder = database.CreateProvider().Open();
        using var held = holder.BeginTransaction();
        if (provider == TestDatabase.Postgres)
            Dapper.SqlMapper.Execute(holder, "SELECT pg_advisory_xact_lock(7325146, hashtext('meti-eul'))", transaction: held);
        var store = new ListStore(new ShortLockTimeout(database.CreateProvider()));

        var e = Assert.Throws<ListStoreException>(() =>
            store.Import("meti-eul", "meti-eul", entities.Skip(1), new ListSource([new SourceFile("eul-2.csv", "2", 1)], null)));

        Assert.Equal(provider == TestDatabase.Sqlite
            ? $"the database {database.Location} is busy: another process held its write lock for over 30 s; nothing imported for list meti-eul, try again"
            : $"another import of list meti-eul is running in {database.CreateProvider().Location} (waited 30 s); nothing imported, try again when it has finished",
            e.Message);
        held.Rollback();
        Assert.Equal(1, Assert.Single(ListStore.Open(database.Location).Status()).VersionCount);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Import_WhileAnotherImportIsStillParsing_WritesAtOnce(string provider)
    {
        var database = NewDatabase(provider);
        var entities = MetiEulParser.Parse(Meti).ToList();
        using var parsing = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        IEnumerable<ListEntity> SlowParse()
        {
            yield return entities[0];
            parsing.Set();
            release.Wait(TimeSpan.FromSeconds(60));
            foreach (var entity in entities.Skip(1))
                yield return entity;
        }
        var slow = Task.Factory.StartNew(
            () => ListStore.Open(database.Location).Import("slow", "meti-eul", SlowParse(), new ListSource([new SourceFile("slow.csv", "s", 1)], null)),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Assert.True(parsing.Wait(TimeSpan.FromSeconds(30)));

        // Within a fraction of the lock timeout: the parsing import holds no lock (on SQLite, the database's write lock).
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var fast = ListStore.Open(database.Location).Import("fast", "meti-eul", entities, ListSource.FromFiles([Meti]));
        watch.Stop();
        release.Set();
        var slowResult = await slow;

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"the import waited {watch.Elapsed}");
        Assert.Equal((1, entities.Count), (fast.Version.VersionNo, fast.Version.EntityCount));
        Assert.Equal((1, entities.Count), (slowResult.Version.VersionNo, slowResult.Version.EntityCount));
    }

    /// <summary>
    /// The provider with a wait of half a second instead of <see cref="ListStore.WriteLockTimeout"/> (whose value the
    /// messages still name), so that the timeout can be tested quickly.
    /// </summary>
    private sealed class ShortLockTimeout(IDbProvider provider) : IDbProvider
    {
        public string Location => provider.Location;
        public string LocalPath => provider.LocalPath;
        public IReadOnlyList<SchemaMigration> Migrations => provider.Migrations;
        public string? SchemaLockSql => provider.SchemaLockSql;
        public string? ImportLockSql => provider.ImportLockSql?.Replace("@timeout", "'500ms'", StringComparison.Ordinal);
        public string TableExistsSql => provider.TableExistsSql;

        public System.Data.Common.DbConnection Open()
        {
            if (provider is not SqliteProvider)
                return provider.Open();
            // Microsoft.Data.Sqlite retries a busy statement for the command timeout, SQLite itself for busy_timeout.
            var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={provider.Location};Default Timeout=1;Pooling=False");
            connection.Open();
            using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA busy_timeout=500;";
            pragma.ExecuteNonQuery();
            return connection;
        }
    }
}
