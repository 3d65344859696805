using System.Runtime.CompilerServices;
using Clearance.Screening.Lists;
using Clearance.Screening.Matching;

namespace Clearance.Screening.Tests.Matching;

public class ScreeningIndexTests
{
    private static readonly string[] Countries = ["CN", "RU", "IR", "KP", "DE", "JP"];
    private static readonly HashSet<string> ListA = ["list-a"];
    private static readonly HashSet<string> Both = ["list-a", "list-b"];

    private static void AssertSameMatches(IReadOnlyList<ScreeningMatch> expected, IReadOnlyList<ScreeningMatch> actual, string query)
    {
        Assert.True(
            expected.Select(m => (m.ListId, m.EntityId, m.Score)).SequenceEqual(actual.Select(m => (m.ListId, m.EntityId, m.Score))),
            $"query '{query}': full scan [{string.Join(", ", expected.Select(m => $"{m.ListId}/{m.EntityId} {m.Score:0.0000}"))}] "
            + $"index [{string.Join(", ", actual.Select(m => $"{m.ListId}/{m.EntityId} {m.Score:0.0000}"))}]");
    }

    [Fact]
    public void Screen_ReturnsTheSameTopMatchesAsFullScan_OnGeneratedQueries()
    {
        List<ListEntity> entities = GeneratedParties.Entities(4000, seed: 20240531);
        ScreeningIndex index = ScreeningIndex.Build(entities);
        var random = new Random(7);
        int withMatches = 0, truncated = 0;
        for (int i = 0; i < 3000; i++)
        {
            string name = GeneratedParties.QueryFor(entities, random);
            var query = new ScreeningQuery(
                name,
                random.Next(3) == 0 ? Countries[random.Next(Countries.Length)] : null,
                random.Next(4) switch { 0 => EntityKind.Person, 1 => EntityKind.Organization, _ => null },
                random.Next(3) == 0 ? (1940 + random.Next(60)).ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
                Threshold: random.Next(2) == 0 ? 0.6 : null,
                Limit: 5,
                Lists: random.Next(3) switch { 0 => ListA, 1 => Both, _ => null });
            IReadOnlyList<ScreeningMatch> expected = index.ScreenFullScan(query, out int expectedTotal);
            AssertSameMatches(expected, index.Screen(query, out int total), name);
            Assert.True(expectedTotal == total, $"query '{name}': full scan total {expectedTotal}, index total {total}");
            truncated += total > expected.Count ? 1 : 0;
            Assert.All(expected, m => Assert.True(query.Lists is null || query.Lists.Contains(m.ListId), $"{m.ListId} outside the filter"));
            withMatches += expected.Count > 0 ? 1 : 0;
        }

        // The property says something only if many queries do match, and the limit cuts some of them.
        Assert.True(withMatches > 1500, $"only {withMatches} queries matched");
        Assert.True(truncated > 100, $"only {truncated} queries had more matches than the limit");
    }

    [Fact]
    public void Screen_ReturnsTheSameTopMatchesAsFullScan_OnMetiEndUserList()
    {
        List<ListEntity> entities = [.. ListFiles.ParseAny("meti-eul", [SharedLists.Path("meti_eul", "meti_eul_2025-09-29.csv")])];
        ScreeningIndex index = ScreeningIndex.Build(entities);
        var random = new Random(11);
        for (int i = 0; i < 1000; i++)
        {
            string name = GeneratedParties.QueryFor(entities, random);
            var query = new ScreeningQuery(name, Threshold: 0.7, Limit: 5);
            AssertSameMatches(index.ScreenFullScan(query, out int expectedTotal), index.Screen(query, out int total), name);
            Assert.Equal(expectedTotal, total);
        }
    }

    [Fact]
    public void Screen_LimitBelowTheMatches_TotalCountsEveryEntryAtOrAboveTheThreshold()
    {
        List<ListEntity> entities = [.. ListFiles.ParseAny("ofac-csv", [SharedLists.Path("ofac_sdn", "sdn_2024-05-03.csv")])];
        ScreeningIndex index = ScreeningIndex.Build(entities);

        IReadOnlyList<ScreeningMatch> top = index.Screen(new ScreeningQuery("Kim Chol", Limit: 10), out int total);
        IReadOnlyList<ScreeningMatch> all = index.Screen(new ScreeningQuery("Kim Chol", Limit: int.MaxValue), out int allTotal);

        // Verified by the full scan: 13 SDN entries of 2024-05-03 score 0.80 or more against "Kim Chol".
        Assert.Equal(13, index.ScreenFullScan(new ScreeningQuery("Kim Chol", Limit: int.MaxValue)).Count);
        Assert.Equal((10, 13), (top.Count, total));
        Assert.Equal((13, 13), (all.Count, allTotal));
        Assert.Equal(top.Select(m => m.EntityId), all.Take(10).Select(m => m.EntityId));
    }

    [Fact]
    public void Screen_NoMatch_TotalZero()
    {
        ScreeningIndex index = ScreeningIndex.Build(GeneratedParties.Entities(200, seed: 3));

        Assert.Empty(index.Screen(new ScreeningQuery("Qxzv Wplmk"), out int total));
        Assert.Equal(0, total);
    }

    [Fact]
    public void ScreenedAgainst_BuiltFromFiles_OneListPerListIdWithItsSourceDateAndNoVersion()
    {
        List<ListEntity> entities =
        [
            .. ListFiles.ParseAny("meti-eul", [SharedLists.Path("meti_eul", "meti_eul_2025-09-29.csv")]),
            .. ListFiles.ParseAny("ofac-csv", [SharedLists.Path("ofac_sdn", "sdn_2024-05-03.csv")]),
        ];

        ScreeningIndex index = ScreeningIndex.Build(entities);

        Assert.Equal(
            [new ScreenedList("meti-eul", null, new NodaTime.LocalDate(2025, 9, 29)), new ScreenedList("ofac-sdn", null, new NodaTime.LocalDate(2024, 5, 3))],
            index.ScreenedAgainst);
    }

    [Fact]
    public void Load_KeepsTheListVersionsTheIndexWasBuiltFrom()
    {
        ScreenedList[] versions = [new("ofac-sdn", 3, new NodaTime.LocalDate(2024, 5, 3)), new("un-sc", 1, null)];
        ScreeningIndex index = ScreeningIndex.Build(GeneratedParties.Entities(100, seed: 5), versions);

        ScreeningIndex loaded = ScreeningIndex.Load(Snapshot(index, "k"), "k")!;

        Assert.Equal(versions, index.ScreenedAgainst);
        Assert.Equal(versions, loaded.ScreenedAgainst);
    }

    [Fact]
    public void Screen_BeihangUniversity_FindsMetiEntry460WithExplanation()
    {
        ScreeningIndex index = ScreeningIndex.Build(ListFiles.ParseAny("meti-eul", [SharedLists.Path("meti_eul", "meti_eul_names_2024-04.csv")]));
        ScreeningMatch match = Assert.Single(index.Screen(new ScreeningQuery("Beihang University", Country: "CN")), m => m.EntityId == "460");
        Assert.True(match.Score >= ScreeningIndex.DefaultThreshold);
        Assert.Equal(NameScorer.Algorithm, match.Explanation.Algorithm);
        Assert.Contains(match.Explanation.Name.Alignments, a => a.QueryToken == "beihang" && a.ListToken == "beihang");
    }

    [Fact]
    public void Screen_AmpersandSpelling_MatchesMetiEntry460Highly()
    {
        ScreeningIndex index = ScreeningIndex.Build(ListFiles.ParseAny("meti-eul", [SharedLists.Path("meti_eul", "meti_eul_names_2024-04.csv")]));
        ScreeningMatch best = index.Screen(new ScreeningQuery("Beijing University of Aeronautics & Astronautics"))[0];
        Assert.Equal("460", best.EntityId);
        Assert.True(best.Score >= 0.95);
    }

    [Fact]
    public void Screen_BirthDateConflictLowersAndAgreementRaisesTheScore()
    {
        ListEntity person = new("list", "1", EntityKind.Person, "Ivan PETROV", [], [], ["RU"], ["1961-04-12"], [], [], null, null);
        ScreeningIndex index = ScreeningIndex.Build([person]);
        double agree = index.Screen(new ScreeningQuery("Ivan Petrov", "RU", EntityKind.Person, "1961", Threshold: 0))[0].Score;
        double none = index.Screen(new ScreeningQuery("Ivan Petrov", Threshold: 0))[0].Score;
        ScreeningMatch conflict = index.Screen(new ScreeningQuery("Ivan Petrov", "DE", EntityKind.Person, "1985", Threshold: 0))[0];
        Assert.True(agree >= none);
        Assert.True(conflict.Score < none);
        Assert.Contains(conflict.Explanation.Features, f => f.Feature == "birth-date" && f.Delta < 0);
        Assert.Contains(conflict.Explanation.Features, f => f.Feature == "country" && f.Delta < 0);
    }

    [Fact]
    public void Screen_KindExcludesOtherKinds()
    {
        ListEntity vessel = new("list", "1", EntityKind.Vessel, "Ocean Star", [], [], [], [], [], [], null, null);
        ScreeningIndex index = ScreeningIndex.Build([vessel]);
        Assert.Empty(index.Screen(new ScreeningQuery("Ocean Star", Kind: EntityKind.Person)));
        Assert.Single(index.Screen(new ScreeningQuery("Ocean Star", Kind: EntityKind.Vessel)));
    }

    [Fact]
    public void Screen_HangulQueryMatchesHangulAliasExactly()
    {
        ListEntity person = new("list", "1", EntityKind.Person, "KIM Jong Un", [new EntityAlias("김정은", AliasStrength.Strong)], [], [], [], [], [], null, null);
        ScreeningMatch match = Assert.Single(ScreeningIndex.Build([person]).Screen(new ScreeningQuery("김정은")));
        Assert.Equal(1.0, match.Score, 6);
        Assert.Equal("original-script", match.Explanation.Name.Method);
    }

    private static byte[] Snapshot(ScreeningIndex index, string key)
    {
        using var stream = new MemoryStream();
        index.Save(stream, key);
        return stream.ToArray();
    }

    private static void AssertSameEntity(ListEntity expected, ListEntity actual)
    {
        Assert.Equal(
            (expected.ListId, expected.EntityId, expected.Kind, expected.PrimaryName, expected.Remarks, expected.SourceDate),
            (actual.ListId, actual.EntityId, actual.Kind, actual.PrimaryName, actual.Remarks, actual.SourceDate));
        Assert.Equal(expected.Aliases, actual.Aliases);
        Assert.Equal(expected.Addresses, actual.Addresses);
        Assert.Equal(expected.Countries, actual.Countries);
        Assert.Equal(expected.BirthDates, actual.BirthDates);
        Assert.Equal(expected.Identifiers, actual.Identifiers);
        Assert.Equal(expected.Programs, actual.Programs);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Load_SnapshotScreensLikeTheIndexItWasSavedFrom(bool mappedFile)
    {
        List<ListEntity> entities = GeneratedParties.Entities(3000, seed: 20261127);
        entities.AddRange(ListFiles.ParseAny("meti-eul", [SharedLists.Path("meti_eul", "meti_eul_2025-09-29.csv")]));
        entities.Add(new ListEntity(
            "own", "P-7", EntityKind.Person, "KIM Chol", [new EntityAlias("김철", AliasStrength.Strong), new EntityAlias("Chol", AliasStrength.Weak)],
            ["Pyongyang"], ["KP"], ["1965-03-12"], [new EntityIdentifier("Passport", "123456789", "KP"), new EntityIdentifier("IMO", "9187629", null)],
            ["internal"], "Remarks with ünïcödé", new NodaTime.LocalDate(2025, 9, 29)));
        ScreeningIndex built = ScreeningIndex.Build(entities);
        ScreeningIndex loaded = Load(Snapshot(built, "key-1"), "key-1", mappedFile)!;

        Assert.Equal((built.EntityCount, built.NameCount, built.TokenCount), (loaded.EntityCount, loaded.NameCount, loaded.TokenCount));
        Assert.Equal(built.ListIds, loaded.ListIds);
        var random = new Random(3);
        int matched = 0;
        for (int i = 0; i < 2000; i++)
        {
            string name = GeneratedParties.QueryFor(entities, random);
            var query = new ScreeningQuery(
                name, random.Next(3) == 0 ? Countries[random.Next(Countries.Length)] : null, Threshold: random.Next(2) == 0 ? 0.6 : null, Limit: 5);
            IReadOnlyList<ScreeningMatch> expected = built.Screen(query);
            IReadOnlyList<ScreeningMatch> actual = loaded.Screen(query);
            AssertSameMatches(expected, actual, name);
            for (int m = 0; m < expected.Count; m++)
            {
                Assert.Equal(expected[m].MatchedName, actual[m].MatchedName);
                Assert.Equal(expected[m].Explanation.Name.Alignments, actual[m].Explanation.Name.Alignments);
                Assert.Equal(expected[m].Explanation.Features, actual[m].Explanation.Features);
                AssertSameEntity(expected[m].Entity, actual[m].Entity);
            }

            matched += expected.Count > 0 ? 1 : 0;
        }

        Assert.True(matched > 1000, $"only {matched} queries matched");
        ScreeningMatch kim = Assert.Single(loaded.Screen(new ScreeningQuery("김철")));
        AssertSameEntity(entities[^1], kim.Entity);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Load_OtherKey_ReturnsNull(bool mappedFile)
    {
        byte[] snapshot = Snapshot(ScreeningIndex.Build(GeneratedParties.Entities(50, seed: 1)), "lists v1");
        Assert.Null(Load(snapshot, "lists v2", mappedFile));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Load_DamagedSnapshot_ThrowsInvalidData(bool mappedFile)
    {
        byte[] snapshot = Snapshot(ScreeningIndex.Build(GeneratedParties.Entities(200, seed: 2)), "k");
        var random = new Random(17);
        for (int i = 0; i < 50; i++)
        {
            byte[] flipped = (byte[])snapshot.Clone();
            flipped[random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));
            Assert.Throws<InvalidDataException>(() => Load(flipped, "k", mappedFile));
        }

        Assert.Throws<InvalidDataException>(() => Load(snapshot[..(snapshot.Length / 2)], "k", mappedFile));
        Assert.Throws<InvalidDataException>(() => Load([], "k", mappedFile));
        Assert.Throws<InvalidDataException>(() => Load("not a snapshot at all"u8.ToArray(), "k", mappedFile));
    }

    [Fact]
    public void LoadFile_NoFile_ThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => ScreeningIndex.LoadFile(Path.Combine(Path.GetTempPath(), $"no-such-snapshot-{Guid.NewGuid():N}"), "k"));
    }

    [Fact]
    public void LoadFile_TablesReadInPlace_FileMappedWhileTheIndexIsReachable()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // the process's mappings are read from /proc
        }

        List<ListEntity> entities = GeneratedParties.Entities(500, seed: 5);
        ScreeningIndex built = ScreeningIndex.Build(entities);
        string path = Path.Combine(Path.GetTempPath(), $"screening-index-test-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllBytes(path, Snapshot(built, "k"));
            WeakReference loaded = LoadAndScreen(path, entities, built);
            Assert.True(Mapped(path), "the snapshot is not mapped while its index is reachable"); // the index's tables are the file's pages

            // The index unreachable, its mapping goes with it: no process (clearance serve) keeps every snapshot it replaced.
            for (int i = 0; i < 3 && (loaded.IsAlive || Mapped(path)); i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }

            Assert.False(loaded.IsAlive);
            Assert.False(Mapped(path), "the snapshot is still mapped after its index was collected");
        }
        finally
        {
            File.Delete(path);
        }

        static bool Mapped(string path) => File.ReadLines("/proc/self/maps").Any(line => line.EndsWith(path, StringComparison.Ordinal));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference LoadAndScreen(string path, List<ListEntity> entities, ScreeningIndex built)
    {
        ScreeningIndex loaded = ScreeningIndex.LoadFile(path, "k")!;
        GC.Collect(); // nothing but the index holds the mapping: a collection here must not take it
        GC.WaitForPendingFinalizers();
        var random = new Random(9);
        for (int i = 0; i < 200; i++)
        {
            var query = new ScreeningQuery(GeneratedParties.QueryFor(entities, random), Limit: 5);
            AssertSameMatches(built.Screen(query), loaded.Screen(query), query.Name);
        }

        return new WeakReference(loaded);
    }

    /// <summary>The snapshot read from the array, or written to a file and read from it mapped into memory (<see cref="ScreeningIndex.LoadFile"/>).</summary>
    private static ScreeningIndex? Load(byte[] snapshot, string key, bool mappedFile)
    {
        if (!mappedFile)
        {
            return ScreeningIndex.Load(snapshot, key);
        }

        string path = Path.Combine(Path.GetTempPath(), $"screening-index-test-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllBytes(path, snapshot);
            return ScreeningIndex.LoadFile(path, key);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
