using Clearance.Model;

namespace Clearance.Store.Tests;

// The kept content versions: each version's files stored once, read back whole, on both providers.
public sealed class ContentArchiveTests : IDisposable
{
    private readonly TestDatabases _databases = new();

    public void Dispose() => _databases.Dispose();

    /// <summary>A content set as loaded from <paramref name="files"/> (the store keeps the files; it never parses them).</summary>
    private static ContentSet Content(string version, params ContentFile[] files) => ContentSet.Create(version, [], files);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Keep_NewVersion_StoredOnce_FoundWholeByName(string provider)
    {
        var store = new ShipmentStore(_databases.Create(provider).CreateProvider());
        var first = Content("sha256:aaaaaaaaaaaa", new ContentFile("kr.yaml", "jurisdiction: KR\n"), new ContentFile("jp.yaml", "jurisdiction: JP\n日本\n"));

        var stored = store.Content.Keep(first);
        var again = store.Content.Keep(first);

        Assert.Equal((true, false), (stored, again));
        Assert.Equal([new ContentFile("jp.yaml", "jurisdiction: JP\n日本\n"), new ContentFile("kr.yaml", "jurisdiction: KR\n")], store.Content.Find("sha256:aaaaaaaaaaaa"));
        Assert.Null(store.Content.Find("sha256:bbbbbbbbbbbb"));
        Assert.False(store.Content.IsKept("sha256:bbbbbbbbbbbb"));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Keep_SetWithoutFiles_NothingKept(string provider)
    {
        var store = new ShipmentStore(_databases.Create(provider).CreateProvider());

        Assert.False(store.Content.Keep(Content("sha256:cccccccccccc")));
        Assert.False(store.Content.IsKept("sha256:cccccccccccc"));
    }
}
