using Clearance.Screening;
using Clearance.Screening.Lists;
using NodaTime;

namespace Clearance.Store.Tests;

// Every case runs on both providers: a SQLite file and a schema of its own on a real PostgreSQL server (TestDatabase).
public sealed class ListStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly List<TestDatabase> _databases = [];
    private ListStore _store = null!;

    public void Dispose()
    {
        foreach (var database in _databases)
            database.Dispose();
        _dir.Dispose();
    }

    /// <summary>A new empty database on the provider; the store on it becomes the test's store.</summary>
    private TestDatabase Use(string provider, string name = "clearance.db")
    {
        var database = TestDatabase.Create(provider, _dir, name);
        _databases.Add(database);
        _store = ListStore.Open(database.Location);
        return database;
    }

    private static string Sdn(string date) => SharedListFiles.Path("ofac_sdn", $"sdn_{date}.csv");

    private ImportResult ImportFile(string format, string path, string? listId = null)
    {
        var paths = new[] { path };
        return _store.Import(listId ?? ListFiles.DefaultListId(format, paths), format, ListFiles.ParseAny(format, paths, listId), ListSource.FromFiles(paths));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Import_FirstVersion_StatusShowsCountsAndSourceDate(string provider)
    {
        Use(provider);
        var result = ImportFile("ofac-csv", Sdn("2024-05-03"));

        Assert.False(result.Unchanged);
        Assert.Null(result.Changes);
        var status = Assert.Single(_store.Status());
        Assert.Equal("ofac-sdn", status.Active.ListId);
        Assert.Equal(1, status.Active.VersionNo);
        Assert.Equal(14965, status.Active.EntityCount);
        Assert.Equal(new LocalDate(2024, 5, 3), status.Active.SourceDate);
        Assert.Equal(14965 + ParsedAliasCount(Sdn("2024-05-03")), status.Active.NameCount);
        Assert.Equal(new Dictionary<string, int> { ["ofac-sdn"] = 14965 }, status.EntitiesByList);
    }

    private static int ParsedAliasCount(string path) => OfacCsvParser.Parse([path]).Sum(e => e.Aliases.Count);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Diff_ThreeDatedSdnSnapshots_GivesRealAddedRemovedChanged(string provider)
    {
        Use(provider);
        ImportFile("ofac-csv", Sdn("2024-01-31"));
        var april = ImportFile("ofac-csv", Sdn("2024-04-26"));
        var may = ImportFile("ofac-csv", Sdn("2024-05-03"));

        // Counted independently over the raw rows (ent_num sets, and rows whose name/type/programs/call sign/flag/remarks differ).
        Assert.Equal((866, 99, 41), Counts(april.Changes!));
        Assert.Equal((305, 8, 0), Counts(may.Changes!));
        Assert.Equal((1171, 107, 41), Counts(_store.Diff("ofac-sdn", 1, 3)));
        Assert.Equal((1, 2), (april.Changes!.FromVersion, april.Changes.ToVersion));
        Assert.Equal(Counts(may.Changes!), Counts(_store.Diff("ofac-sdn")));
        Assert.Equal(3, _store.Versions("ofac-sdn").Count);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Diff_AprilToMay_NamesTheEntries(string provider)
    {
        Use(provider);
        ImportFile("ofac-csv", Sdn("2024-04-26"));
        ImportFile("ofac-csv", Sdn("2024-05-03"));

        var diff = _store.Diff("ofac-sdn");

        var april = OfacCsvParser.Parse([Sdn("2024-04-26")]).Select(e => e.EntityId).ToHashSet();
        var may = OfacCsvParser.Parse([Sdn("2024-05-03")]).Select(e => e.EntityId).ToHashSet();
        Assert.Equal(may.Except(april).Order(StringComparer.Ordinal), diff.Added.Select(r => r.EntityId).Order(StringComparer.Ordinal));
        Assert.Equal(april.Except(may).Order(StringComparer.Ordinal), diff.Removed.Select(r => r.EntityId).Order(StringComparer.Ordinal));
        Assert.All(diff.Added, r => Assert.Equal("ofac-sdn", r.ListId));
    }

    private static (int, int, int) Counts(ListDiff diff) => (diff.Added.Count, diff.Removed.Count, diff.Changed.Count);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Import_ParseErrorMidway_LeavesPreviousVersionActiveAndNothingHalfWritten(string provider)
    {
        Use(provider);
        ImportFile("ofac-csv", Sdn("2024-04-26"));
        var lines = File.ReadAllLines(Sdn("2024-05-03"), System.Text.Encoding.Latin1);
        var broken = _dir.Write("sdn.csv", string.Join("\r\n", lines.Take(5000)) + "\r\n999999,\"TRUNCATED", System.Text.Encoding.Latin1);

        Assert.Throws<ListFormatException>(() => ImportFile("ofac-csv", broken));

        var status = Assert.Single(_store.Status());
        Assert.Equal(1, status.Active.VersionNo);
        Assert.Equal(14668, status.Active.EntityCount);
        Assert.Single(_store.Versions("ofac-sdn"));
        Assert.Equal(14668, _store.LoadActiveEntities().Count);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Import_DuplicateEntry_RefusedAndPreviousKept(string provider)
    {
        Use(provider);
        ImportFile("meti-eul", SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv"));
        var entity = MetiEulParser.Parse(SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv")).First();

        var e = Assert.Throws<ListStoreException>(() =>
            _store.Import("meti-eul", "meti-eul", [entity, entity], new ListSource([], null)));

        Assert.Contains("appears twice", e.Message);
        Assert.Equal(835, Assert.Single(_store.Status()).Active.EntityCount);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Import_FirstImportFails_ListDoesNotAppear(string provider)
    {
        Use(provider);
        var broken = _dir.Write("eul.csv", "No.,Country or Region,Company or Organization,Also Known As,Type of WMD\n1,Iran,A,,N\n2,Iran\n");

        Assert.Throws<ListFormatException>(() => ImportFile("meti-eul", broken));

        Assert.Empty(_store.Status());
        Assert.Empty(_store.LoadActiveEntities());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Import_SameFilesAgain_ReportsUnchangedWithoutNewVersion(string provider)
    {
        Use(provider);
        ImportFile("un-xml", SharedListFiles.Path("un", "UN_consolidated_2026-02-27.xml"));

        var again = ImportFile("un-xml", SharedListFiles.Path("un", "UN_consolidated_2026-02-27.xml"));

        Assert.True(again.Unchanged);
        Assert.Equal(1, again.Version.VersionNo);
        Assert.Single(_store.Versions("un-sc"));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void LoadActiveEntities_RoundTripsEveryField(string provider)
    {
        Use(provider);
        var path = SharedListFiles.Path("ofac_sdn", "watchman_bench_2021", "sdn.csv");
        var parsed = OfacCsvParser.Parse([path]).ToDictionary(e => e.EntityId);
        _store.Import("ofac-sdn", "ofac-csv", parsed.Values, ListSource.FromFiles([path], new LocalDate(2021, 7, 7)));

        var loaded = _store.LoadActiveEntities();

        Assert.Equal(parsed.Count, loaded.Count);
        foreach (var entity in loaded)
        {
            var original = parsed[entity.EntityId];
            Assert.Equal(Canonical(original with { SourceDate = new LocalDate(2021, 7, 7) }), Canonical(entity));
        }
    }

    /// <summary>Every field of an entry in one text, to compare entries read back with the ones written.</summary>
    internal static string Canonical(ListEntity e) => string.Join("|",
        e.ListId, e.EntityId, e.Kind, e.PrimaryName, string.Join(";", e.Aliases), string.Join(";", e.Addresses), string.Join(";", e.Countries),
        string.Join(";", e.BirthDates), string.Join(";", e.Identifiers), string.Join(";", e.Programs), e.Remarks, e.SourceDate);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Import_CslFile_FiledUnderOneListWithCountsPerSource(string provider)
    {
        Use(provider);
        ImportFile("csl-csv", SharedListFiles.Path("csl_full", "consolidated_2026-07-31.csv"));

        var status = Assert.Single(_store.Status());
        Assert.Equal("csl", status.Active.ListId);
        Assert.Equal(25921, status.Active.EntityCount);
        Assert.Equal(3420, status.EntitiesByList["csl-el"]);
        Assert.Equal(19181, status.EntitiesByList["csl-sdn"]);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void ApplyChanges_FtmDeltaSequence_AddsModifiesAndDeletes(string provider)
    {
        Use(provider);
        var folder = SharedListFiles.Path("opensanctions_ftm", "t2");
        var versions = Directory.GetDirectories(folder).Order(StringComparer.Ordinal).ToList();

        foreach (var version in versions)
        {
            var path = Path.Combine(version, "entities.delta.json");
            // npf deletes one of three entries, more than the shrink limit allows by default.
            _store.ApplyChanges("opensanctions", "ftm", FtmParser.ParseChanges(path), ListSource.FromFiles([path]), allowShrink: true);
        }

        var entities = _store.LoadActiveEntities().ToDictionary(e => e.EntityId);
        Assert.Equal(["NK-2T3S8Hu29ktYnKSTgQp2wL", "NK-2sJaJRaPJcWUfMbHjTtWcL", "Q4365364"], entities.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("Foobar Foobargroup", entities["NK-2T3S8Hu29ktYnKSTgQp2wL"].PrimaryName);
        var last = _store.Diff("opensanctions");
        Assert.Equal([new EntityRef("opensanctions", "Q4365364")], last.Added);
        // versions: 1 zbn (empty delta), 2 wnk (two ADD), 3 pfh (ADD + MOD), 4 npf (DEL), 5 3iv (ADD)
        Assert.Equal(5, _store.Versions("opensanctions").Count);
        var modification = _store.Diff("opensanctions", 2, 3);
        Assert.Equal([new EntityRef("opensanctions", "NK-500Poltergeist")], modification.Added);
        Assert.Equal([new EntityRef("opensanctions", "NK-2T3S8Hu29ktYnKSTgQp2wL")], modification.Changed);
        Assert.Equal([new EntityRef("opensanctions", "NK-500Poltergeist")], _store.Diff("opensanctions", 3, 4).Removed);
        Assert.Equal(2, _store.Versions("opensanctions")[2].BasedOn);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void ApplyChanges_NoVersionYet_StartsFromEmptyList(string provider)
    {
        Use(provider);
        var path = SharedListFiles.Path("opensanctions_ftm", "t2", "20240527194702-wnk", "entities.delta.json");

        var result = _store.ApplyChanges("opensanctions", "ftm", FtmParser.ParseChanges(path), ListSource.FromFiles([path]));

        Assert.Equal(1, result.Version.VersionNo);
        Assert.Equal(2, result.Version.EntityCount);
        Assert.Null(_store.Versions("opensanctions")[0].BasedOn);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Import_RecordsClockAndSourceFiles(string provider)
    {
        var database = Use(provider);
        var clock = new FixedClock(Instant.FromUtc(2026, 8, 1, 9, 30));
        var store = new ListStore(database.CreateProvider(), clock);
        var path = SharedListFiles.Path("csl_bis", "bis_dpl.txt");

        store.Import("bis-dpl", "bis-dpl", BisDplParser.Parse(path), ListSource.FromFiles([path]));

        var version = Assert.Single(store.Versions("bis-dpl"));
        Assert.Equal(clock.GetCurrentInstant(), version.ImportedAt);
        var file = Assert.Single(version.SourceFiles);
        Assert.Equal(new FileInfo(path).Length, file.Bytes);
        Assert.Equal(64, file.Sha256.Length);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Diff_UnknownList_Explains(string provider)
    {
        Use(provider);
        var e = Assert.Throws<ListStoreException>(() => _store.Diff("nope"));

        Assert.Contains("no list 'nope'", e.Message);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void LoadActiveEntities_MixedCaseIds_OrderedByListThenIdLengthThenBytes(string provider)
    {
        Use(provider);
        // A locale-aware collation (PostgreSQL's default) would put "a" before "B" and ignore the hyphen in "a-b".
        string[] ids = ["b", "B", "a", "A", "ab", "aB", "Ab", "a-b", "_a", "10", "9", "ä"];
        _store.Import("own-a", "csv", ids.Select(id => Entity("own-a", id)), new ListSource([], null));
        _store.Import("own-B", "csv", ids.Take(2).Select(id => Entity("own-B", id)), new ListSource([], null));

        var loaded = _store.LoadActiveEntities().Select(e => (e.ListId, e.EntityId)).ToList();

        var expected = ids.Take(2).Select(id => ("own-B", id)).Concat(ids.Select(id => ("own-a", id)))
            .OrderBy(r => r.Item1, StringComparer.Ordinal).ThenBy(r => r.Item2.Length).ThenBy(r => System.Text.Encoding.UTF8.GetBytes(r.Item2), ByteOrder.Instance);
        Assert.Equal(expected, loaded);
        Assert.Equal(["own-B", "own-a"], _store.Status().Select(s => s.Active.ListId));
    }

    private static ListEntity Entity(string listId, string id) =>
        new(listId, id, EntityKind.Organization, "Name " + id, [], [], [], [], [], [], null, null);

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Open_ManyProcessesAtFirstUse_CreateTheSchemaOnceAndImportInParallel(string provider)
    {
        var database = Use(provider, "parallel.db");
        var path = SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv");
        var entities = MetiEulParser.Parse(path).Take(300).ToList();

        // Fresh stores on the same database at once: first use of the schema and imports of different lists race.
        Parallel.For(0, 4, i =>
        {
            var store = ListStore.Open(database.Location);
            store.Import($"meti-{i}", "meti-eul", entities, new ListSource([], null));
        });

        Assert.Equal([300, 300, 300, 300], _store.Status().Select(s => s.Active.EntityCount));
    }
}

/// <summary>A clock that always reads the same instant.</summary>
internal sealed class FixedClock(Instant now) : IClock
{
    public Instant GetCurrentInstant() => now;
}
