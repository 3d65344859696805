using Clearance.Screening;
using Clearance.Screening.Lists;
using Dapper;
using NodaTime;

namespace Clearance.Store.Tests;

// A list never goes back silently: an import older than the active version is refused unless allowed, and going back on
// purpose is an activation of a stored version, recorded. Every case runs on both providers (TestDatabase).
public sealed class ListStoreVersionsTests : IDisposable
{
    private static readonly Instant Now = Instant.FromUtc(2026, 12, 1, 9, 30);

    private readonly TestDatabases _databases = new();

    public void Dispose() => _databases.Dispose();

    private ListStore NewStore(string provider) => new(_databases.Create(provider).CreateProvider(), new FixedClock(Now));

    private static string Sdn(string date) => SharedListFiles.Path("ofac_sdn", $"sdn_{date}.csv");

    private static ImportResult ImportSdn(ListStore store, string date, ImportOptions? options = null)
    {
        string[] paths = [Sdn(date)];
        return store.Import("ofac-sdn", "ofac-csv", ListFiles.ParseAny("ofac-csv", paths), ListSource.FromFiles(paths), options ?? new ImportOptions());
    }

    private static ListEntity Entity(string id, string name) => new("own", id, EntityKind.Organization, name, [], [], [], [], [], [], null, null);

    /// <summary>A small version of list "own" dated <paramref name="date"/>, from files named after <paramref name="tag"/>.</summary>
    private static ImportResult ImportOwn(ListStore store, string tag, LocalDate? date, IEnumerable<ListEntity> entities, ImportOptions? options = null) =>
        store.Import("own", "csv", entities, new ListSource([new SourceFile($"own-{tag}.csv", "h" + tag, 10)], date), options ?? new ImportOptions());

    /// <summary>Thirty entries besides those a test looks at, so that removing one or two stays within the shrink limit.</summary>
    private static IEnumerable<ListEntity> Filler => Enumerable.Range(1, 30).Select(i => Entity($"f{i}", $"Filler Company {i}"));

    private static ListEntity[] ThreeEntities => [Entity("1", "Acme Trading"), Entity("2", "Borealis Shipping"), Entity("3", "Cobalt Metals"), .. Filler];

    private static ListEntity[] Except(string id) => [.. ThreeEntities.Where(e => e.EntityId != id)];

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Import_Sdn20240131After20240503_RefusedNamingBothDatesAndNothingWritten(string provider)
    {
        var store = NewStore(provider);
        var active = ImportSdn(store, "2024-05-03").Version;

        var e = Assert.Throws<ListStoreException>(() => ImportSdn(store, "2024-01-31"));

        Assert.Equal(
            $"{Sdn("2024-01-31")} has source date 2024-01-31, older than the active version 1 of list ofac-sdn (source date 2024-05-03): nothing imported, " +
            "version 1 stays; to go back to an older list on purpose, import again with --allow-older, or switch to a stored version with clearance lists activate",
            e.Message);
        var status = Assert.Single(store.Status());
        Assert.Equal((1, 1, active.EntityCount), (status.Active.VersionNo, status.VersionCount, status.Active.EntityCount));
        Assert.Single(store.Activations("ofac-sdn"));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Import_OlderWithAllowOlder_ImportsAndRecordsItInTheNote(string provider)
    {
        var store = NewStore(provider);
        var total = ImportOwn(store, "b", new LocalDate(2024, 5, 3), ThreeEntities).Version.EntityCount;

        var result = ImportOwn(store, "a", new LocalDate(2024, 1, 31), Except("3").Append(Entity("4", "Delta Ltd")), new ImportOptions(AllowOlder: true));

        Assert.Equal((2, 33, new LocalDate(2024, 1, 31)), (result.Version.VersionNo, total, result.Version.SourceDate));
        Assert.Equal("older source date allowed (--allow-older): 2024-01-31, before version 1's 2024-05-03", result.Version.Note);
        Assert.Equal(2, Assert.Single(store.Status()).Active.VersionNo);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Import_OlderAndShrinkingBothAllowed_NoteRecordsBoth(string provider)
    {
        var store = NewStore(provider);
        ImportOwn(store, "b", new LocalDate(2024, 5, 3), ThreeEntities);

        var result = ImportOwn(store, "a", new LocalDate(2024, 1, 31), ThreeEntities.Take(3), new ImportOptions(AllowShrink: true, AllowOlder: true));

        Assert.Equal(
            "shrink allowed (--allow-shrink): removes 30 of the 33 entries of version 1; older source date allowed (--allow-older): 2024-01-31, before version 1's 2024-05-03",
            result.Version.Note);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Import_SameOrLaterOrUnknownSourceDate_Accepted(string provider)
    {
        var store = NewStore(provider);
        ImportOwn(store, "1", new LocalDate(2024, 5, 3), ThreeEntities);

        Assert.Equal(2, ImportOwn(store, "2", new LocalDate(2024, 5, 3), ThreeEntities.Append(Entity("4", "Delta Ltd"))).Version.VersionNo);
        Assert.Equal(3, ImportOwn(store, "3", new LocalDate(2024, 6, 1), Except("1")).Version.VersionNo);
        Assert.Equal(4, ImportOwn(store, "4", null, Except("2").Append(Entity("5", "Echo Ltd"))).Version.VersionNo);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Import_FilesOfAnOlderStoredVersion_RefusedPointingToActivate(string provider)
    {
        var store = NewStore(provider);
        ImportOwn(store, "a", new LocalDate(2024, 1, 31), ThreeEntities);
        ImportOwn(store, "b", new LocalDate(2024, 5, 3), ThreeEntities.Append(Entity("4", "Delta Ltd")));

        var e = Assert.Throws<ListStoreException>(() => ImportOwn(store, "a", new LocalDate(2024, 1, 31), ThreeEntities));

        Assert.EndsWith("nothing imported, version 2 stays; these files are version 1: to use it again, run clearance lists activate --list own --version 1", e.Message);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void ApplyChanges_DeltaFileDatedBeforeTheActiveVersion_RefusedUnlessAllowOlder(string provider)
    {
        var store = NewStore(provider);
        ImportOwn(store, "base", new LocalDate(2024, 5, 3), ThreeEntities);
        ListChange[] changes = [new ListChange(ListChangeKind.Upsert, "4", Entity("4", "Delta Ltd"))];
        var delta = new ListSource([new SourceFile("delta-2024-04-01.json", "d1", 10)], new LocalDate(2024, 4, 1));

        var e = Assert.Throws<ListStoreException>(() => store.ApplyChanges("own", "csv", changes, delta));
        var allowed = store.ApplyChanges("own", "csv", changes, delta, new ImportOptions(AllowOlder: true));

        Assert.Contains("has source date 2024-04-01, older than the active version 1 of list own (source date 2024-05-03): nothing imported", e.Message);
        Assert.Equal((2, 34), (allowed.Version.VersionNo, allowed.Version.EntityCount));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Activate_StoredVersion_SwitchesRecordsAndScreensItsEntities(string provider)
    {
        var store = NewStore(provider);
        ImportOwn(store, "a", new LocalDate(2024, 1, 31), ThreeEntities);
        ImportOwn(store, "b", new LocalDate(2024, 5, 3), ThreeEntities.Append(Entity("4", "Delta Ltd")));
        var keyBefore = store.ActiveVersionsKey();

        var result = store.Activate("own", 1, "the May file was wrong");

        Assert.False(result.Unchanged);
        Assert.Equal((1, 2), (result.Version.VersionNo, result.Previous.VersionNo));
        Assert.NotEqual(keyBefore, store.ActiveVersionsKey());
        Assert.Equal(ThreeEntities.Select(e => e.EntityId).Order(), store.LoadActiveEntities().Select(e => e.EntityId).Order());
        var status = Assert.Single(store.Status());
        Assert.Equal((1, 2), (status.Active.VersionNo, status.VersionCount));
        Assert.Equal(new ListActivation("own", 1, 2, Now, ListActivation.ActivateKind, "the May file was wrong"), status.Activation);
        Assert.Equal(
            [(1, (int?)null, "import", (string?)null), (2, 1, "import", null), (1, 2, "activate", "the May file was wrong")],
            store.Activations("own").Select(a => (a.VersionNo, a.PreviousVersion, a.Kind, a.Note)));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Activate_TheActiveVersion_UnchangedAndNothingRecorded(string provider)
    {
        var store = NewStore(provider);
        ImportOwn(store, "a", new LocalDate(2024, 1, 31), ThreeEntities);

        var result = store.Activate("own", 1);

        Assert.True(result.Unchanged);
        Assert.Single(store.Activations("own"));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Activate_UnknownListOrVersion_RefusedNamingWhatExists(string provider)
    {
        var store = NewStore(provider);
        ImportOwn(store, "a", new LocalDate(2024, 1, 31), ThreeEntities);
        ImportOwn(store, "b", new LocalDate(2024, 5, 3), ThreeEntities);

        var list = Assert.Throws<ListStoreException>(() => store.Activate("ofac-sdn", 1));
        var version = Assert.Throws<ListStoreException>(() => store.Activate("own", 3));

        Assert.Equal($"no list 'ofac-sdn' in {store.Location} (lists: own)", list.Message);
        Assert.Equal($"list own has no version 3 in {store.Location} (its versions are 1 to 2; version 2 is active): the active version of list own is unchanged", version.Message);
        Assert.Equal(2, Assert.Single(store.Status()).Active.VersionNo);
        Assert.Equal(2, store.Activations("own").Count);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Import_AfterActivate_CheckedAgainstTheActivatedVersionAndNumberedAfterTheLast(string provider)
    {
        var store = NewStore(provider);
        ImportOwn(store, "a", new LocalDate(2024, 1, 31), ThreeEntities);
        ImportOwn(store, "b", new LocalDate(2024, 5, 3), ThreeEntities);
        store.Activate("own", 1);

        var result = ImportOwn(store, "c", new LocalDate(2024, 3, 1), ThreeEntities.Append(Entity("4", "Delta Ltd")));

        Assert.Equal(3, result.Version.VersionNo);
        Assert.Equal(1, result.Changes!.FromVersion);
        Assert.Equal([new EntityRef("own", "4")], result.Changes.Added);
    }

    [Fact]
    public void Activate_ReadOnlyStore_RefusedInOneLine()
    {
        var database = _databases.Create(TestDatabase.Sqlite);
        var store = ListStore.Open(database.Location);
        ImportOwn(store, "a", new LocalDate(2024, 1, 31), ThreeEntities);
        ImportOwn(store, "b", new LocalDate(2024, 5, 3), ThreeEntities);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var e = Assert.Throws<ListStoreException>(() => ListStore.Open(database.Location, readOnly: true).Activate("own", 1));

        Assert.Equal(
            $"the database {database.Location} is open read-only: the active version of list own is unchanged; activate with write access to it and its directory", e.Message);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Diff_EntriesNamedFromTheirVersion(string provider)
    {
        var store = NewStore(provider);
        ImportOwn(store, "a", new LocalDate(2024, 1, 31), ThreeEntities);
        ImportOwn(store, "b", new LocalDate(2024, 5, 3), [Entity("1", "Acme Trading"), Entity("2", "Borealis Shipping Co"), Entity("4", "Delta Ltd"), .. Filler]);

        var diff = store.Diff("own", 1, 2);

        Assert.Equal("Delta Ltd", diff.NameOf(Assert.Single(diff.Added)));
        Assert.Equal("Cobalt Metals", diff.NameOf(Assert.Single(diff.Removed)));
        Assert.Equal("Borealis Shipping Co", diff.NameOf(Assert.Single(diff.Changed)));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Open_PreviousReleaseDatabase_ActivationsBackFilledFromItsImports(string provider)
    {
        var database = _databases.Create(provider);
        PreviousReleaseDatabase.Create(database, provider);

        var store = new ListStore(database.CreateProvider(), new FixedClock(Now));

        Assert.Equal(
            new ListActivation(PreviousReleaseDatabase.ListId, 1, null, Instant.FromUtc(2025, 10, 1, 9, 30), ListActivation.ImportKind, null),
            Assert.Single(store.Activations(PreviousReleaseDatabase.ListId)));
        using var connection = database.CreateProvider().Open();
        Assert.Equal(1, connection.ExecuteScalar<int>("SELECT COUNT(*) FROM list_activations"));
    }
}
