using Clearance.Screening;
using Clearance.Screening.Lists;
using NodaTime;

namespace Clearance.Store.Tests;

// The recheck's changed entries (ShipmentStore.ActiveEntities): on SQLite looked up by their whole key, (list, entry)
// pairs. Against the active version's entries filtered in memory, for random sets of wanted entries: entries of the list,
// ids it does not hold, and its ids under another entity list (none of which may be returned).
public sealed class ActiveEntitiesTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly List<TestDatabase> _databases = [];

    public void Dispose()
    {
        foreach (var database in _databases)
            database.Dispose();
        _dir.Dispose();
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void ActiveEntities_RandomWantedEntries_TheActiveVersionsEntriesOfThoseKeysInKeyOrder(string provider)
    {
        var database = TestDatabase.Create(provider, _dir, "clearance.db");
        _databases.Add(database);
        var lists = ListStore.Open(database.Location);
        var path = SharedListFiles.Path("ofac_sdn", "watchman_bench_2021", "sdn.csv");
        lists.Import("ofac-sdn", "ofac-csv", OfacCsvParser.Parse([path]), ListSource.FromFiles([path], new LocalDate(2021, 7, 7)));
        var active = lists.LoadActiveEntities();
        var store = new ShipmentStore(database.CreateProvider());
        var random = new Random(20261205);
        for (var round = 0; round < 20; round++)
        {
            var wanted = new HashSet<EntityRef>();
            for (var i = random.Next(0, 400); i > 0; i--)
            {
                var entity = active[random.Next(active.Count)];
                wanted.Add(random.Next(6) switch
                {
                    0 => new EntityRef("other-list", entity.EntityId), // its id under another entity list: not an entry
                    1 => new EntityRef(entity.ListId, "missing-" + random.Next(50)),
                    _ => new EntityRef(entity.ListId, entity.EntityId),
                });
            }

            var expected = active.Where(e => wanted.Contains(new EntityRef(e.ListId, e.EntityId)))
                .OrderBy(e => e.ListId, StringComparer.Ordinal).ThenBy(e => e.EntityId, StringComparer.Ordinal).Select(ListStoreTests.Canonical).ToList();

            var found = store.ActiveEntities("ofac-sdn", wanted).Select(ListStoreTests.Canonical).ToList();

            Assert.Equal(expected.Order(StringComparer.Ordinal), found.Order(StringComparer.Ordinal));
            if (provider == TestDatabase.Sqlite)
                Assert.Equal(expected, found); // SQLite's order of text is by bytes: the ordinal order of these ASCII ids
        }
    }
}
