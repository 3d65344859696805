using Clearance.Screening.Lists;
using Dapper;
using NodaTime;

namespace Clearance.Store.Tests;

// The recheck's list diff (ShipmentStore.EntityDiff): each version's entries less the other's, compared whole (list, id,
// content hash), read by the database as a merge of the two versions. Against the same difference made in memory, for
// random versions of one list (entries of two entity lists, content hashes that agree or not) and no version on either side.
public sealed class EntityDiffTests : IDisposable
{
    private readonly TestDatabases _databases = new();

    public void Dispose() => _databases.Dispose();

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void EntityDiff_RandomVersions_TheEntriesOfEachNotInTheOtherWithTheSameContent(string provider)
    {
        var database = _databases.Create(provider);
        var store = new ShipmentStore(database.CreateProvider());
        var versions = new List<Dictionary<(string List, string Entity), byte>>();
        var random = new Random(20261205);
        using (var connection = database.CreateProvider().Open())
        {
            connection.Execute("INSERT INTO lists (list_id, format) VALUES ('test-list', 'test')");
            for (var v = 1; v <= 8; v++)
            {
                var id = connection.ExecuteScalar<long>(
                    """
                    INSERT INTO list_versions (list_id, version_no, format, imported_at, source_files, sha256, entity_count, name_count)
                    VALUES ('test-list', @v, 'test', '2026-12-05T00:00:00Z', '[]', '', 0, 0) RETURNING version_id
                    """, new { v });
                var entries = new Dictionary<(string List, string Entity), byte>();
                for (var i = random.Next(0, 60); i > 0; i--)
                    entries[(random.Next(3) == 0 ? "other-list" : "test-list", "E" + random.Next(80))] = (byte)random.Next(3);
                foreach (var ((list, entity), hash) in entries)
                {
                    connection.Execute("INSERT INTO version_entities (version_id, entity_list_id, entity_id, content_hash) VALUES (@id, @list, @entity, @hash)",
                        new { id, list, entity, hash = new[] { hash } });
                }

                versions.Add(entries);
            }
        }

        int?[] numbers = [null, 1, 2, 3, 4, 5, 6, 7, 8];
        foreach (var from in numbers)
        {
            foreach (var to in numbers)
            {
                var (before, after) = (from is { } f ? versions[f - 1] : [], to is { } t ? versions[t - 1] : []);
                static HashSet<(string, string)> Less(Dictionary<(string List, string Entity), byte> these, Dictionary<(string List, string Entity), byte> those) =>
                    [.. these.Where(e => !(those.TryGetValue(e.Key, out var hash) && hash == e.Value)).Select(e => e.Key)];

                var (current, former) = store.EntityDiff("test-list", from, to);

                Assert.Equal(Less(after, before), current.Select(r => (r.ListId, r.EntityId)).ToHashSet());
                Assert.Equal(Less(before, after), former.Select(r => (r.ListId, r.EntityId)).ToHashSet());
                Assert.Equal(current.Count, current.Distinct().Count());
            }
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void EntityDiff_VersionImportedOverAnother_TheRecordedChangesAreTheDifferenceMadeFromBothVersions(string provider)
    {
        var database = _databases.Create(provider);
        var lists = ListStore.Open(database.Location);
        foreach (var date in new[] { "2024-04-26", "2024-05-03" })
        {
            var path = SharedListFiles.Path("ofac_sdn", $"sdn_{date}.csv");
            lists.Import("ofac-sdn", "ofac-csv", OfacCsvParser.Parse([path]), ListSource.FromFiles([path], LocalDate.FromDateTime(DateTime.Parse(date, System.Globalization.CultureInfo.InvariantCulture))));
        }

        var store = new ShipmentStore(database.CreateProvider());
        static (HashSet<EntityRef>, HashSet<EntityRef>) Sets((IReadOnlyList<EntityRef> Current, IReadOnlyList<EntityRef> Former) diff) =>
            ([.. diff.Current], [.. diff.Former]);

        var recorded = Sets(store.EntityDiff("ofac-sdn", 1, 2));
        var backwards = Sets(store.EntityDiff("ofac-sdn", 2, 1)); // no record: version 1 was never imported over version 2
        using (var connection = database.CreateProvider().Open())
        {
            Assert.Equal(1, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM version_change_sets"));
            connection.Execute("DELETE FROM version_changes; DELETE FROM version_change_sets");
        }

        var made = Sets(store.EntityDiff("ofac-sdn", 1, 2));

        Assert.True(made.Item1.SetEquals(recorded.Item1) && made.Item2.SetEquals(recorded.Item2));
        Assert.Equal((305, 8), (recorded.Item1.Count, recorded.Item2.Count)); // the update added 305 entries and removed 8
        Assert.True(backwards.Item1.SetEquals(recorded.Item2) && backwards.Item2.SetEquals(recorded.Item1));
    }
}
