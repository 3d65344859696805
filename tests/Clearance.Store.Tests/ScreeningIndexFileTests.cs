using Clearance.Screening.Lists;
using Clearance.Screening.Matching;

namespace Clearance.Store.Tests;

public sealed class ScreeningIndexFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly List<string> _warnings = [];

    private string Db => Path.Combine(_dir.FullName, "clearance.db");

    private string Snapshot => ScreeningIndexFile.SnapshotPath(Db);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private static string Meti(string file) => SharedListFiles.Path("meti_eul", file);

    private static void Import(ListStore store, string path)
    {
        string[] paths = [path];
        store.Import("meti-eul", "meti-eul", ListFiles.ParseAny("meti-eul", paths), ListSource.FromFiles(paths));
    }

    private ScreeningIndex? Open() => ScreeningIndexFile.Open(Db, _warnings.Add);

    private static IEnumerable<ScreeningQuery> Queries(ScreeningIndex index, int count)
    {
        var random = new Random(29);
        List<ScreeningMatch> anything = [.. index.Screen(new ScreeningQuery("University", Threshold: 0.5, Limit: 1000))];
        for (int i = 0; i < count; i++)
        {
            string name = anything[random.Next(anything.Count)].MatchedName;
            yield return new ScreeningQuery(i % 2 == 0 ? name : name[..^1], Threshold: 0.7, Limit: 5);
        }
    }

    [Fact]
    public void Open_FirstTime_WritesTheSnapshotAndLoadsItLater_ScreeningLikeAFreshBuild()
    {
        var store = ListStore.OpenSqlite(Db);
        Import(store, Meti("meti_eul_2025-09-29.csv"));

        ScreeningIndex built = Open()!;
        Assert.True(File.Exists(Snapshot));
        Assert.True(File.Exists(Snapshot + ".stamp"));
        ScreeningIndex loaded = Open()!;
        ScreeningIndex fresh = ScreeningIndex.Build(store.LoadActiveEntities());

        Assert.NotSame(built, loaded);
        Assert.Equal((fresh.EntityCount, fresh.NameCount), (loaded.EntityCount, loaded.NameCount));
        foreach (ScreeningQuery query in Queries(fresh, 300))
        {
            Assert.Equal(
                fresh.Screen(query).Select(m => (m.ListId, m.EntityId, m.MatchedName, m.Score)),
                loaded.Screen(query).Select(m => (m.ListId, m.EntityId, m.MatchedName, m.Score)));
        }

        Assert.Empty(_warnings);
    }

    [Fact]
    public void Open_AfterAnotherImport_SnapshotIsStaleAndRebuilt()
    {
        var store = ListStore.OpenSqlite(Db);
        Import(store, Meti("meti_eul_names_2024-04.csv"));
        Assert.Equal("460", Open()!.Screen(new ScreeningQuery("Beihang University", "CN"))[0].EntityId);

        Import(store, Meti("meti_eul_2025-09-29.csv"));
        ScreeningIndex index = Open()!;

        Assert.Equal(835, index.EntityCount);
        Assert.Equal("501", index.Screen(new ScreeningQuery("Beihang University", "CN"))[0].EntityId);
        Assert.Equal(835, ScreeningIndex.Load(File.ReadAllBytes(Snapshot), store.ActiveVersionsKey())!.EntityCount);
        Assert.Empty(_warnings);
    }

    [Fact]
    public void Open_DamagedSnapshot_RebuildsItWithAWarning()
    {
        var store = ListStore.OpenSqlite(Db);
        Import(store, Meti("meti_eul_2025-09-29.csv"));
        Open();
        byte[] bytes = File.ReadAllBytes(Snapshot);
        bytes[bytes.Length / 2] ^= 0x20;
        File.WriteAllBytes(Snapshot, bytes);

        ScreeningIndex index = Open()!;

        string warning = Assert.Single(_warnings);
        Assert.Contains(Snapshot, warning);
        Assert.Contains("corrupt", warning);
        Assert.Equal("501", index.Screen(new ScreeningQuery("Beihang University", "CN"))[0].EntityId);
        Assert.NotNull(ScreeningIndex.Load(File.ReadAllBytes(Snapshot), store.ActiveVersionsKey()));
    }

    [Fact]
    public void Open_TruncatedSnapshot_RebuildsItWithAWarning()
    {
        Import(ListStore.OpenSqlite(Db), Meti("meti_eul_2025-09-29.csv"));
        Open();
        File.WriteAllBytes(Snapshot, File.ReadAllBytes(Snapshot)[..1000]);

        Assert.Equal(835, Open()!.EntityCount);
        Assert.Contains("corrupt", Assert.Single(_warnings));
    }

    [Fact]
    public void Open_NoDatabaseOrNoLists_ReturnsNull()
    {
        Assert.Null(Open());
        Assert.False(File.Exists(Db));

        ListStore.OpenSqlite(Db);
        Assert.Null(Open());
        Assert.False(File.Exists(Snapshot));
    }

    [Fact]
    public void Refresh_WritesTheSnapshotForTheActiveVersions()
    {
        var store = ListStore.OpenSqlite(Db);
        Import(store, Meti("meti_eul_2025-09-29.csv"));

        ScreeningIndexFile.Refresh(store, _warnings.Add);

        Assert.NotNull(ScreeningIndex.Load(File.ReadAllBytes(Snapshot), store.ActiveVersionsKey()));
        Assert.Empty(_warnings);
    }
}
