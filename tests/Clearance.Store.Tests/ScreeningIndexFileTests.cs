using Clearance.Screening.Lists;
using Clearance.Screening.Matching;

namespace Clearance.Store.Tests;

// Cases run on both providers. A PostgreSQL store keeps its snapshot under XDG_DATA_HOME, pointed here at the test's
// folder: the collection keeps DatabaseLocationTests from changing it meanwhile.
[Collection(nameof(DatabaseLocationTests))]
public sealed class ScreeningIndexFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly List<string> _warnings = [];
    private readonly string? _savedXdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
    private TestDatabase? _database;

    public ScreeningIndexFileTests() => Environment.SetEnvironmentVariable("XDG_DATA_HOME", Path.Combine(_dir.FullName, "data"));

    private string Db => _database!.Location;

    private string Snapshot => ScreeningIndexFile.SnapshotPath(ListStore.Open(Db));

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("XDG_DATA_HOME", _savedXdg);
        _database?.Dispose();
        _dir.Dispose();
    }

    private void Use(string provider) => _database = TestDatabase.Create(provider, _dir);

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

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Open_FirstTime_WritesTheSnapshotAndLoadsItLater_ScreeningLikeAFreshBuild(string provider)
    {
        Use(provider);
        var store = ListStore.Open(Db);
        Import(store, Meti("meti_eul_2025-09-29.csv"));

        ScreeningIndex built = Open()!;
        Assert.True(File.Exists(Snapshot));
        // The stamp lets a SQLite store skip opening the database; a server has no files to stamp.
        Assert.Equal(provider == TestDatabase.Sqlite, File.Exists(Snapshot + ".stamp"));
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

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Open_AfterAnotherImport_SnapshotIsStaleAndRebuilt(string provider)
    {
        Use(provider);
        var store = ListStore.Open(Db);
        Import(store, Meti("meti_eul_names_2024-04.csv"));
        Assert.Equal("460", Open()!.Screen(new ScreeningQuery("Beihang University", "CN"))[0].EntityId);

        Import(store, Meti("meti_eul_2025-09-29.csv"));
        ScreeningIndex index = Open()!;

        Assert.Equal(835, index.EntityCount);
        Assert.Equal("501", index.Screen(new ScreeningQuery("Beihang University", "CN"))[0].EntityId);
        Assert.Equal(835, ScreeningIndex.Load(File.ReadAllBytes(Snapshot), store.ActiveVersionsKey())!.EntityCount);
        Assert.Empty(_warnings);
    }

    /// <summary>A store of <paramref name="provider"/> with the METI file imported and its snapshot (and SQLite stamp) written.</summary>
    private ListStore ListStoreWithSnapshot(string provider, string file)
    {
        Use(provider);
        var store = ListStore.Open(Db);
        Import(store, Meti(file));
        Open();
        return store;
    }

    private static void AssertSeptember2025List(ScreeningIndex index)
    {
        Assert.Equal(835, index.EntityCount);
        Assert.Equal("501", index.Screen(new ScreeningQuery("Beihang University", "CN"))[0].EntityId);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void OpenBeforeWriting_NoStamp_LoadsTheSnapshotAndRecordsNoStamp(string provider)
    {
        ListStoreWithSnapshot(provider, "meti_eul_2025-09-29.csv");
        File.Delete(Snapshot + ".stamp");
        var written = File.GetLastWriteTimeUtc(Snapshot);

        AssertSeptember2025List(ScreeningIndexFile.OpenBeforeWriting(Db, _warnings.Add)!);
        Assert.Equal(written, File.GetLastWriteTimeUtc(Snapshot)); // loaded, not rebuilt
        Assert.False(File.Exists(Snapshot + ".stamp"));
        Assert.Empty(_warnings);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void OpenBeforeWriting_AfterAnotherImport_SnapshotRebuiltAndTheOldStampLeftStale(string provider)
    {
        var store = ListStoreWithSnapshot(provider, "meti_eul_names_2024-04.csv");
        byte[]? stamp = File.Exists(Snapshot + ".stamp") ? File.ReadAllBytes(Snapshot + ".stamp") : null;
        Assert.Equal(provider == TestDatabase.Sqlite, stamp is not null);

        Import(store, Meti("meti_eul_2025-09-29.csv"));
        AssertSeptember2025List(ScreeningIndexFile.OpenBeforeWriting(Db, _warnings.Add)!);
        Assert.Equal(835, ScreeningIndex.Load(File.ReadAllBytes(Snapshot), store.ActiveVersionsKey())!.EntityCount);
        Assert.Equal(stamp, File.Exists(Snapshot + ".stamp") ? File.ReadAllBytes(Snapshot + ".stamp") : null);
        // The stale stamp is not trusted, and the next plain open records a current one.
        Assert.Equal(835, Open()!.EntityCount);
        Assert.Equal(provider == TestDatabase.Sqlite, File.Exists(Snapshot + ".stamp") && !File.ReadAllBytes(Snapshot + ".stamp").SequenceEqual(stamp ?? []));
        Assert.Empty(_warnings);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Open_DamagedSnapshot_RebuildsItWithAWarning(string provider)
    {
        Use(provider);
        var store = ListStore.Open(Db);
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

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Open_TruncatedSnapshot_RebuildsItWithAWarning(string provider)
    {
        Use(provider);
        Import(ListStore.Open(Db), Meti("meti_eul_2025-09-29.csv"));
        Open();
        File.WriteAllBytes(Snapshot, File.ReadAllBytes(Snapshot)[..1000]);

        Assert.Equal(835, Open()!.EntityCount);
        Assert.Contains("corrupt", Assert.Single(_warnings));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Open_NoDatabaseOrNoLists_ReturnsNull(string provider)
    {
        Use(provider);
        if (provider == TestDatabase.Sqlite)
        {
            Assert.Null(Open());
            Assert.False(File.Exists(Db));
        }

        ListStore.Open(Db);
        Assert.Null(Open());
        Assert.False(File.Exists(Snapshot));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Refresh_WritesTheSnapshotForTheActiveVersions(string provider)
    {
        Use(provider);
        var store = ListStore.Open(Db);
        Import(store, Meti("meti_eul_2025-09-29.csv"));

        ScreeningIndexFile.Refresh(store, _warnings.Add);

        Assert.NotNull(ScreeningIndex.Load(File.ReadAllBytes(Snapshot), store.ActiveVersionsKey()));
        Assert.Empty(_warnings);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Refresh_TemporaryFilesOfAKilledImport_DeletedAtTheNextImport(string provider)
    {
        Use(provider);
        var store = ListStore.Open(Db);
        Directory.CreateDirectory(Path.GetDirectoryName(Snapshot)!);
        // Process ids above the kernel's limit (4,194,304 at most on Linux) are never running.
        var killed = Snapshot + $".{int.MaxValue}.{Guid.NewGuid():N}.tmp";
        var killedStamp = Snapshot + $".stamp.{int.MaxValue - 1}.{Guid.NewGuid():N}.tmp";
        var running = Snapshot + $".{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        foreach (var file in new[] { killed, killedStamp, running })
            File.WriteAllBytes(file, [1, 2, 3]);

        Import(store, Meti("meti_eul_2025-09-29.csv"));
        ScreeningIndexFile.Refresh(store, _warnings.Add);

        Assert.False(File.Exists(killed));
        Assert.False(File.Exists(killedStamp));
        Assert.True(File.Exists(running));
        Assert.Empty(_warnings);
        File.Delete(running);
    }
}
