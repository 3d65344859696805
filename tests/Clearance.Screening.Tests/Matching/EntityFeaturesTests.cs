using Clearance.Screening.Matching;

namespace Clearance.Screening.Tests.Matching;

public class EntityFeaturesTests
{
    private static ListEntity Person(IReadOnlyList<string> countries, IReadOnlyList<string> births) =>
        new("list-a", "1", EntityKind.Person, "Elena Kuznetsova", [], [], countries, births, [], [], null, null);

    private static double Adjust(ScreeningQuery query, ListEntity entity) =>
        EntityFeatures.Adjust(query, NameNormalizer.Normalize(query.Name), entity, null);

    [Fact]
    public void Adjust_BirthDateTheEntryCannotConfirm_CostsMoreForTwoWordNames()
    {
        ListEntity undated = Person([], []);
        double twoWords = Adjust(new ScreeningQuery("Elena Kuznetsova", BirthDate: "1981-10-29"), undated);
        double threeWords = Adjust(new ScreeningQuery("Elena Petrovna Kuznetsova", BirthDate: "1981-10-29"), undated);
        Assert.Equal(EntityFeatures.BirthDateUnconfirmed, twoWords, 6);
        Assert.Equal(EntityFeatures.BirthDateUnconfirmedLongName, threeWords, 6);
    }

    [Fact]
    public void Adjust_NoQueryBirthDate_NoBirthDateFeature() =>
        Assert.Equal(0.0, Adjust(new ScreeningQuery("Elena Kuznetsova"), Person([], [])), 6);

    [Fact]
    public void Adjust_CountryConflictAndAgreement()
    {
        ListEntity russian = Person(["RU"], ["1981"]);
        Assert.Equal(EntityFeatures.CountryConflicts, Adjust(new ScreeningQuery("Elena Kuznetsova", Country: "DE"), russian), 6);
        Assert.Equal(EntityFeatures.CountryAgrees + EntityFeatures.BirthDateAgrees,
            Adjust(new ScreeningQuery("Elena Kuznetsova", Country: "RU", BirthDate: "1981-10-29"), russian), 6);
    }
}
