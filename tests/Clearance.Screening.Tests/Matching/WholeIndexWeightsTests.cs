using Clearance.Screening.Lists;
using Clearance.Screening.Matching;

namespace Clearance.Screening.Tests.Matching;

/// <summary>
/// Why <c>shipments recheck</c> screens a suspect line again against the whole index and cannot keep its hits on the
/// entries a list update left alone: a party's score against an entry depends on every name of the index (each token's
/// weight is its rarity among all names), and the matches kept per party are capped, so entries added elsewhere move the
/// scores of unchanged entries and push them out. Both cases are the benchmark book's (bench/recheck-e2e.sh): the OFAC
/// SDN update from 2024-04-26 to 2024-05-03 (305 entries added, 8 removed, none changed) beside METI's end-user list.
/// </summary>
public class WholeIndexWeightsTests
{
    // The reporting threshold's matches per list that end-user screening keeps (EndUserScreening.MatchesPerList).
    private const int MatchesPerList = 5;

    private static readonly Lazy<(ScreeningIndex Before, ScreeningIndex After, IReadOnlyList<ListEntity> SdnBefore, IReadOnlyList<ListEntity> SdnAfter)> Indexes = new(() =>
    {
        List<ListEntity> meti = [.. ListFiles.ParseAny("meti-eul", [SharedLists.Path("meti_eul", "meti_eul_2025-09-29.csv")])];
        List<ListEntity> before = [.. ListFiles.ParseAny("ofac-csv", [SharedLists.Path("ofac_sdn", "sdn_2024-04-26.csv")])];
        List<ListEntity> after = [.. ListFiles.ParseAny("ofac-csv", [SharedLists.Path("ofac_sdn", "sdn_2024-05-03.csv")])];
        return (ScreeningIndex.Build([.. meti, .. before]), ScreeningIndex.Build([.. meti, .. after]), before, after);
    });

    private static ListEntity Sdn(IReadOnlyList<ListEntity> list, string id) => list.Single(e => e.EntityId == id);

    private static void AssertUnchanged(string id)
    {
        var (_, _, before, after) = Indexes.Value;
        var (old, now) = (Sdn(before, id), Sdn(after, id));
        Assert.Equal(old.PrimaryName, now.PrimaryName);
        Assert.Equal(old.Aliases, now.Aliases);
        Assert.Equal(old.Countries, now.Countries);
    }

    [Fact]
    public void Screen_UpdateAddingOtherEntries_MovesTheScoreOfAnUnchangedEntry()
    {
        var (before, after, _, _) = Indexes.Value;
        var query = new ScreeningQuery("Alpha Eastern Tech Trading FZE", "AE", Limit: MatchesPerList);
        AssertUnchanged("30644"); // ALPHA TECH TRADING FZE, on both versions as it was
        double Score(ScreeningIndex index) => index.Screen(query).Single(m => m is { ListId: "ofac-sdn", EntityId: "30644" }).Score;

        // The names the update adds change how rare the party's words are among all names: 0.874 in the line's stored
        // reasons, 0.875 after the update (a --full recheck rewrites 120 such lines of the book an incremental one leaves).
        Assert.True(after.NameCount > before.NameCount, $"{before.NameCount} names before, {after.NameCount} after");
        Assert.Equal(0.874, Math.Round(Score(before), 3));
        Assert.Equal(0.875, Math.Round(Score(after), 3));
    }

    [Fact]
    public void Screen_UpdateAddingAnExactMatch_PushesAnUnchangedEntryPastTheMatchesKept()
    {
        var (before, after, sdnBefore, _) = Indexes.Value;
        var query = new ScreeningQuery("ALFA LIMITED LIABILITY COMPANY", "AE", Limit: MatchesPerList);
        AssertUnchanged("45750"); // ALFA MACHINERY GROUP
        Assert.DoesNotContain(sdnBefore, e => e.EntityId == "48612"); // added by the update

        var old = before.Screen(query);
        var now = after.Screen(query);

        // Before: the unchanged entry is the fifth match kept. After: the added entry comes first, every unchanged one
        // scores a little lower, and the fifth is no longer kept at all: stored hits would have named it still.
        Assert.Equal(MatchesPerList, old.Count);
        Assert.Equal("45750", old[^1].EntityId);
        Assert.Equal(("48612", 1.0), (now[0].EntityId, now[0].Score));
        Assert.DoesNotContain(now, m => m.EntityId == "45750");
        Assert.All(old.Take(MatchesPerList - 1), m => Assert.True(now.Single(n => n.EntityId == m.EntityId).Score < m.Score, $"{m.EntityId}: {m.Score} before"));
    }
}
