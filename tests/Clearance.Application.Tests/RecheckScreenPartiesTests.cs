using Clearance.Screening.Lists;
using Clearance.Screening.Matching;

namespace Clearance.Application.Tests;

// The recheck screens its parties against the small index of changed entries on two threads (Recheck.ScreenParties):
// each party's matches must be what screening it alone gives, at the party's own position.
public sealed class RecheckScreenPartiesTests
{
    private static readonly ScreeningIndex Index =
        ScreeningIndex.Build(ListFiles.ParseAny(MetiEulParser.Format, [SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv")]));

    private static List<(string Name, string Destination)> Parties(int count, int seed)
    {
        var random = new Random(seed);
        string[] listed = ["Beihang University", "Harbin Engineering University", "Beijing Aeronautics University", "Islamic Revolutionary Guard Corps"];
        string[] words = ["Global", "Pacific", "Sun", "Trade", "Precision", "Materials", "Harbin", "University", "Aero", "Chemical"];
        string[] destinations = ["CN", "IR", "AE", "DE", "KR"];
        var parties = new List<(string, string)>();
        for (var i = 0; i < count; i++)
        {
            var name = random.Next(5) == 0 ? listed[random.Next(listed.Length)]
                : $"{words[random.Next(words.Length)]} {words[random.Next(words.Length)]} Co., Ltd. {i}";
            parties.Add((name, destinations[random.Next(destinations.Length)]));
        }

        return parties;
    }

    private static void AssertAsOneByOne(List<(string Name, string Destination)> parties)
    {
        var matches = Recheck.ScreenParties(Index, parties);

        Assert.Equal(parties.Count, matches.Length);
        for (var p = 0; p < parties.Count; p++)
        {
            var alone = Index.Screen(new ScreeningQuery(parties[p].Name, parties[p].Destination,
                Threshold: ScreeningIndex.DefaultThreshold - Recheck.PrefilterMargin, Limit: 100));
            Assert.Equal(alone.Select(m => (m.EntityId, m.Score)), matches[p].Select(m => (m.EntityId, m.Score)));
        }
    }

    [Fact]
    public void ScreenParties_ThousandsOnTwoThreads_AsEachScreenedAlone()
    {
        var parties = Parties(3_001, 20261206);

        AssertAsOneByOne(parties);
        Assert.Contains(Recheck.ScreenParties(Index, parties), m => m.Count > 0); // the listed names are found
    }

    [Fact]
    public void ScreenParties_FewOnOneThread_AsEachScreenedAlone() => AssertAsOneByOne(Parties(7, 7));

    [Fact]
    public void ScreenParties_None_Empty() => Assert.Empty(Recheck.ScreenParties(Index, []));
}
