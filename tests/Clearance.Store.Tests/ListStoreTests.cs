using Clearance.Screening;
using Clearance.Screening.Lists;
using NodaTime;

namespace Clearance.Store.Tests;

public sealed class ListStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ListStore _store;

    public ListStoreTests() => _store = ListStore.OpenSqlite(Path.Combine(_dir.FullName, "clearance.db"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private static string Sdn(string date) => SharedListFiles.Path("ofac_sdn", $"sdn_{date}.csv");

    private ImportResult ImportFile(string format, string path, string? listId = null)
    {
        var paths = new[] { path };
        return _store.Import(listId ?? ListFiles.DefaultListId(format, paths), format, ListFiles.ParseAny(format, paths, listId), ListSource.FromFiles(paths));
    }

    [Fact]
    public void Import_FirstVersion_StatusShowsCountsAndSourceDate()
    {
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

    [Fact]
    public void Diff_ThreeDatedSdnSnapshots_GivesRealAddedRemovedChanged()
    {
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

    [Fact]
    public void Diff_AprilToMay_NamesTheEntries()
    {
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

    [Fact]
    public void Import_ParseErrorMidway_LeavesPreviousVersionActiveAndNothingHalfWritten()
    {
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

    [Fact]
    public void Import_DuplicateEntry_RefusedAndPreviousKept()
    {
        ImportFile("meti-eul", SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv"));
        var entity = MetiEulParser.Parse(SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv")).First();

        var e = Assert.Throws<ListStoreException>(() =>
            _store.Import("meti-eul", "meti-eul", [entity, entity], new ListSource([], null)));

        Assert.Contains("appears twice", e.Message);
        Assert.Equal(835, Assert.Single(_store.Status()).Active.EntityCount);
    }

    [Fact]
    public void Import_FirstImportFails_ListDoesNotAppear()
    {
        var broken = _dir.Write("eul.csv", "No.,Country or Region,Company or Organization,Also Known As,Type of WMD\n1,Iran,A,,N\n2,Iran\n");

        Assert.Throws<ListFormatException>(() => ImportFile("meti-eul", broken));

        Assert.Empty(_store.Status());
        Assert.Empty(_store.LoadActiveEntities());
    }

    [Fact]
    public void Import_SameFilesAgain_ReportsUnchangedWithoutNewVersion()
    {
        ImportFile("un-xml", SharedListFiles.Path("un", "UN_consolidated_2026-02-27.xml"));

        var again = ImportFile("un-xml", SharedListFiles.Path("un", "UN_consolidated_2026-02-27.xml"));

        Assert.True(again.Unchanged);
        Assert.Equal(1, again.Version.VersionNo);
        Assert.Single(_store.Versions("un-sc"));
    }

    [Fact]
    public void LoadActiveEntities_RoundTripsEveryField()
    {
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

    private static string Canonical(ListEntity e) => string.Join("|",
        e.ListId, e.EntityId, e.Kind, e.PrimaryName, string.Join(";", e.Aliases), string.Join(";", e.Addresses), string.Join(";", e.Countries),
        string.Join(";", e.BirthDates), string.Join(";", e.Identifiers), string.Join(";", e.Programs), e.Remarks, e.SourceDate);

    [Fact]
    public void Import_CslFile_FiledUnderOneListWithCountsPerSource()
    {
        ImportFile("csl-csv", SharedListFiles.Path("csl_full", "consolidated_2026-07-31.csv"));

        var status = Assert.Single(_store.Status());
        Assert.Equal("csl", status.Active.ListId);
        Assert.Equal(25921, status.Active.EntityCount);
        Assert.Equal(3420, status.EntitiesByList["csl-el"]);
        Assert.Equal(19181, status.EntitiesByList["csl-sdn"]);
    }

    [Fact]
    public void ApplyChanges_FtmDeltaSequence_AddsModifiesAndDeletes()
    {
        var folder = SharedListFiles.Path("opensanctions_ftm", "t2");
        _store.Import("opensanctions", "ftm", [], new ListSource([], null));
        var versions = Directory.GetDirectories(folder).Order(StringComparer.Ordinal).ToList();

        foreach (var version in versions)
        {
            var path = Path.Combine(version, "entities.delta.json");
            _store.ApplyChanges("opensanctions", "ftm", FtmParser.ParseChanges(path), ListSource.FromFiles([path]));
        }

        var entities = _store.LoadActiveEntities().ToDictionary(e => e.EntityId);
        Assert.Equal(["NK-2T3S8Hu29ktYnKSTgQp2wL", "NK-2sJaJRaPJcWUfMbHjTtWcL", "Q4365364"], entities.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("Foobar Foobargroup", entities["NK-2T3S8Hu29ktYnKSTgQp2wL"].PrimaryName);
        var last = _store.Diff("opensanctions");
        Assert.Equal([new EntityRef("opensanctions", "Q4365364")], last.Added);
        // versions: 1 empty start, 2 zbn (empty delta), 3 wnk (two ADD), 4 pfh (ADD + MOD), 5 npf (DEL), 6 3iv (ADD)
        Assert.Equal(6, _store.Versions("opensanctions").Count);
        var modification = _store.Diff("opensanctions", 3, 4);
        Assert.Equal([new EntityRef("opensanctions", "NK-500Poltergeist")], modification.Added);
        Assert.Equal([new EntityRef("opensanctions", "NK-2T3S8Hu29ktYnKSTgQp2wL")], modification.Changed);
        Assert.Equal([new EntityRef("opensanctions", "NK-500Poltergeist")], _store.Diff("opensanctions", 4, 5).Removed);
        Assert.Equal(2, _store.Versions("opensanctions")[2].BasedOn);
    }

    [Fact]
    public void ApplyChanges_NoVersionYet_StartsFromEmptyList()
    {
        var path = SharedListFiles.Path("opensanctions_ftm", "t2", "20240527194702-wnk", "entities.delta.json");

        var result = _store.ApplyChanges("opensanctions", "ftm", FtmParser.ParseChanges(path), ListSource.FromFiles([path]));

        Assert.Equal(1, result.Version.VersionNo);
        Assert.Equal(2, result.Version.EntityCount);
        Assert.Null(_store.Versions("opensanctions")[0].BasedOn);
    }

    [Fact]
    public void Import_RecordsClockAndSourceFiles()
    {
        var clock = new FixedClock(Instant.FromUtc(2026, 8, 1, 9, 30));
        var store = new ListStore(new SqliteProvider(Path.Combine(_dir.FullName, "clock.db")), clock);
        var path = SharedListFiles.Path("csl_bis", "bis_dpl.txt");

        store.Import("bis-dpl", "bis-dpl", BisDplParser.Parse(path), ListSource.FromFiles([path]));

        var version = Assert.Single(store.Versions("bis-dpl"));
        Assert.Equal(clock.GetCurrentInstant(), version.ImportedAt);
        var file = Assert.Single(version.SourceFiles);
        Assert.Equal(new FileInfo(path).Length, file.Bytes);
        Assert.Equal(64, file.Sha256.Length);
    }

    [Fact]
    public void Diff_UnknownList_Explains()
    {
        var e = Assert.Throws<ListStoreException>(() => _store.Diff("nope"));

        Assert.Contains("no list 'nope'", e.Message);
    }
}

/// <summary>A clock that always reads the same instant.</summary>
internal sealed class FixedClock(Instant now) : IClock
{
    public Instant GetCurrentInstant() => now;
}
