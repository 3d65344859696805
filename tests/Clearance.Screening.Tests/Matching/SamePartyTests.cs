using Clearance.Screening.Lists;
using Clearance.Screening.Matching;
using NodaTime;

namespace Clearance.Screening.Tests.Matching;

public class SamePartyTests
{
    private static ListEntity Entry(
        string list, string id, EntityKind kind, string name, string[]? countries = null, string[]? birthDates = null,
        EntityIdentifier[]? identifiers = null, string[]? programs = null, LocalDate? sourceDate = null) =>
        new(list, id, kind, name, [], [], countries ?? [], birthDates ?? [], identifiers ?? [], programs ?? [], null, sourceDate);

    private static (string, string)[] Listings(ScreeningMatch match) => [.. match.Listings.Select(l => (l.ListId, l.EntityId))];

    [Fact]
    public void Screen_EntityOnSdnAndCslSdn_ComesBackOnceWithBothListingsAndTheirDetails()
    {
        ScreeningIndex index = ScreeningIndex.Build(
        [
            .. ListFiles.ParseAny("ofac-csv", [SharedLists.Path("ofac_sdn", "sdn_2024-05-03.csv")]),
            .. ListFiles.ParseAny("csl-csv", [SharedLists.Path("csl_full", "consolidated_2026-07-31.csv")]),
        ]);

        IReadOnlyList<ScreeningMatch> matches = index.Screen(new ScreeningQuery("MAHAN AIR"));

        // The SDN List of 2024-05-03 (ent_num 12927) and the CSL's SDN section of 2026-07-31 (row 8254): one party.
        ScreeningMatch match = Assert.Single(matches, m => m.IsOn("ofac-sdn") || m.IsOn("csl-sdn"));
        Assert.Equal([("ofac-sdn", "12927"), ("csl-sdn", "8254")], Listings(match));
        Assert.Equal(("ofac-sdn", "12927"), (match.ListId, match.EntityId));
        Assert.Equal([new LocalDate(2024, 5, 3), new LocalDate(2026, 7, 31)], match.Listings.Select(l => l.SourceDate));
        Assert.Equal(["SDGT", "NPWMD", "IFSR"], match.Programs);
        Assert.Equal(["IR"], match.Countries);
        Assert.Equal(EntityKind.Organization, match.Kind);
        Assert.True(index.PartyCount < index.EntityCount);
    }

    [Fact]
    public void Screen_SharedPassport_OneMatchGravestListingFirst()
    {
        var passport = new EntityIdentifier("Passport", "PD-123 456", "KP");
        ScreeningIndex index = ScreeningIndex.Build(
        [
            Entry("csl-el", "e1", EntityKind.Person, "Ri Chol Ho", identifiers: [passport]),
            Entry("meti-eul", "m1", EntityKind.Person, "RI Chol Ho", identifiers: [new("passport no.", "pd123456", null)]),
            Entry("un-sc", "u1", EntityKind.Person, "Ri Chol-ho", identifiers: [passport], birthDates: ["1961-05-02"]),
        ]);

        ScreeningMatch match = Assert.Single(index.Screen(new ScreeningQuery("Ri Chol Ho")));

        // A prohibition (UN asset freeze) before licence requirements (Entity List, then METI End User List).
        Assert.Equal([("un-sc", "u1"), ("csl-el", "e1"), ("meti-eul", "m1")], Listings(match));
        Assert.Equal(["1961-05-02"], match.BirthDates);
        Assert.Equal(1, index.PartyCount);
    }

    [Fact]
    public void Screen_SharedWebsiteOrIdentifierTwoEntriesOfOneListHold_StayApart()
    {
        // Related companies share a website, and a parent's registration number given for two entries of one list names neither.
        var site = new EntityIdentifier("Website", "www.example-trading.com", null);
        var registration = new EntityIdentifier("Registration Number", "1234567890", "CN");
        ScreeningIndex index = ScreeningIndex.Build(
        [
            Entry("ofac-sdn", "1", EntityKind.Organization, "Alpha Trading", identifiers: [site, registration]),
            Entry("ofac-sdn", "2", EntityKind.Organization, "Alpha Trading Shenzhen", identifiers: [registration]),
            Entry("csl-el", "3", EntityKind.Organization, "Alpha Trading", identifiers: [site, registration]),
        ]);

        Assert.Equal(3, index.PartyCount);
        Assert.All(index.Screen(new ScreeningQuery("Alpha Trading")), m => Assert.Single(m.Listings));
    }

    [Fact]
    public void Screen_CopiedListWithTwoListedPeopleOfOneName_KeepsThemApart()
    {
        // Two SDN persons named KIM Chol (born 1960 and 1975); the CSL copy gives no birth date: which one it copies is unknown.
        ScreeningIndex index = ScreeningIndex.Build(
        [
            Entry("ofac-sdn", "1", EntityKind.Person, "KIM, Chol", countries: ["KP"], birthDates: ["1960"]),
            Entry("ofac-sdn", "2", EntityKind.Person, "KIM, Chol", countries: ["KP"], birthDates: ["1975-04-01"]),
            Entry("csl-sdn", "c1", EntityKind.Person, "KIM, Chol", countries: ["KP"]),
            Entry("csl-sdn", "c2", EntityKind.Person, "KIM, Chol", countries: ["KP"], birthDates: ["1975-04-01"]),
        ]);

        // c2 agrees with 2 alone (birth date); c1 agrees with both and is left apart.
        IReadOnlyList<ScreeningMatch> matches = index.Screen(new ScreeningQuery("Kim Chol"));
        Assert.Equal(3, matches.Count);
        Assert.Contains(matches, m => Listings(m).SequenceEqual([("ofac-sdn", "2"), ("csl-sdn", "c2")]));
        Assert.Contains(matches, m => Listings(m).SequenceEqual([("csl-sdn", "c1")]));
    }

    [Fact]
    public void Screen_CopiedListSameNameOtherCountry_StaysApart()
    {
        ScreeningIndex index = ScreeningIndex.Build(
        [
            Entry("ofac-sdn", "1", EntityKind.Organization, "Global Parts LLC", countries: ["AE"]),
            Entry("csl-sdn", "c1", EntityKind.Organization, "GLOBAL PARTS LLC", countries: ["TR"]),
        ]);

        Assert.Equal(2, index.PartyCount);
    }

    [Fact]
    public void Screen_ListFilter_ListingsOnlyFromTheListsAsked()
    {
        ScreeningIndex index = ScreeningIndex.Build(
        [
            Entry("ofac-sdn", "1", EntityKind.Organization, "Mahan Air", countries: ["IR"]),
            Entry("csl-sdn", "c1", EntityKind.Organization, "MAHAN AIR", countries: ["IR"]),
        ]);

        ScreeningMatch match = Assert.Single(index.Screen(new ScreeningQuery("Mahan Air", Lists: new HashSet<string> { "csl-sdn" })));

        Assert.Equal([("csl-sdn", "c1")], Listings(match));
        Assert.Equal(("csl-sdn", "c1"), (match.ListId, match.EntityId));
    }

    [Fact]
    public void Load_KeepsTheParties()
    {
        ScreeningIndex built = ScreeningIndex.Build(
        [
            Entry("ofac-sdn", "1", EntityKind.Organization, "Mahan Air", countries: ["IR"], sourceDate: new LocalDate(2024, 5, 3)),
            Entry("csl-sdn", "c1", EntityKind.Organization, "MAHAN AIR", countries: ["IR"], sourceDate: new LocalDate(2026, 7, 31)),
            Entry("meti-eul", "9", EntityKind.Organization, "Beihang University", countries: ["CN"]),
        ]);
        using var stream = new MemoryStream();
        built.Save(stream, "k");

        ScreeningIndex loaded = ScreeningIndex.Load(stream.ToArray(), "k")!;

        Assert.Equal(2, loaded.PartyCount);
        ScreeningMatch match = Assert.Single(loaded.Screen(new ScreeningQuery("Mahan Air")));
        Assert.Equal([("ofac-sdn", "1"), ("csl-sdn", "c1")], Listings(match));
    }

    [Fact]
    public void Screen_ReturnsTheSameMatchesAsFullScan_WithCopiedEntries()
    {
        // Generated entries on the SDN list, a third of them copied to the CSL's SDN section: index and full scan agree.
        List<ListEntity> originals = [.. GeneratedParties.Entities(3000, seed: 20261202).Select(e => e with { ListId = "ofac-sdn" })];
        List<ListEntity> entities = [.. originals, .. originals.Where((_, i) => i % 3 == 0).Select(e => e with { ListId = "csl-sdn", EntityId = "c" + e.EntityId })];
        ScreeningIndex index = ScreeningIndex.Build(entities);
        var random = new Random(17);
        int merged = 0;
        for (int i = 0; i < 1000; i++)
        {
            string name = GeneratedParties.QueryFor(entities, random);
            var query = new ScreeningQuery(name, Threshold: 0.7, Limit: 5);
            IReadOnlyList<ScreeningMatch> expected = index.ScreenFullScan(query, out int expectedTotal);
            IReadOnlyList<ScreeningMatch> actual = index.Screen(query, out int total);
            Assert.Equal(expected.Select(m => (m.ListId, m.EntityId, m.Score, m.Listings.Count)), actual.Select(m => (m.ListId, m.EntityId, m.Score, m.Listings.Count)));
            Assert.Equal(expectedTotal, total);
            Assert.Equal(actual.Count, actual.Select(m => (m.ListId, m.EntityId)).Distinct().Count());
            merged += actual.Count(m => m.Listings.Count > 1);
        }

        Assert.True(merged > 200, $"only {merged} merged matches");
    }
}
