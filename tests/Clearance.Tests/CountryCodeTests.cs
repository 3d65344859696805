using Clearance.Model;

namespace Clearance.Tests;

public sealed class CountryCodeTests
{
    private static IEnumerable<string> TableDestinationCodes =>
        CountryTable.All.Where(c => c.IsDestination).Select(c => c.Alpha2);

    [Fact]
    public void Parse_EveryDestinationCodeOfTable_RoundTrips()
    {
        foreach (var alpha2 in TableDestinationCodes)
        {
            var code = CountryCode.Parse(alpha2);

            Assert.Equal(alpha2, code.Value);
            Assert.Equal(alpha2, code.ToString());
            Assert.Equal(code, CountryCode.All[code.Index]);
            Assert.Equal(code, CountryCode.Parse(alpha2.ToLowerInvariant()));
        }
    }

    [Fact]
    public void All_SortedAndCountEqualsTableDestinationCodes()
    {
        var values = CountryCode.All.Select(c => c.Value).ToList();

        Assert.Equal(values.Order(StringComparer.Ordinal), values);
        Assert.Equal(TableDestinationCodes.Count(), CountryCode.Count);
        Assert.Equal(CountryCode.Count, CountryCode.All.Count);
        Assert.Equal(TableDestinationCodes.Order(StringComparer.Ordinal), values);
        Assert.Equal(Enumerable.Range(0, CountryCode.Count), CountryCode.All.Select(c => c.Index));
    }

    [Fact]
    public void TryParse_WithdrawnCode_Fails()
    {
        var withdrawn = CountryTable.All.Where(c => c.Status == CountryCodeStatus.Withdrawn).Select(c => c.Alpha2).ToList();

        Assert.Equal(["AN"], withdrawn);
        Assert.False(CountryCode.TryParse("AN", out _));
        Assert.Throws<ArgumentException>(() => CountryCode.Parse("AN"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Z")]
    [InlineData("ZZ")]
    [InlineData("KPX")]
    public void TryParse_NotACode_Fails(string text) => Assert.False(CountryCode.TryParse(text, out _));

    [Fact]
    public void CountryTable_Statuses_IsoAssignedPlusKosovoPlusAntilles()
    {
        // 249 ISO 3166-1 assigned codes, XK as the only user-assigned destination, AN as the only withdrawn code: the
        // codes the evaluator accepted (250) and the names table mapped (251) before the two tables became one.
        Assert.Equal(249, CountryTable.All.Count(c => c.Status == CountryCodeStatus.Assigned));
        Assert.Equal(["XK"], CountryTable.All.Where(c => c.Status == CountryCodeStatus.UserAssigned).Select(c => c.Alpha2));
        Assert.Equal(250, CountryCode.Count);
        Assert.Equal(251, CountryTable.All.Count);
    }

    [Fact]
    public void CountryTable_Rows_WellFormedAndUnique()
    {
        foreach (var country in CountryTable.All)
        {
            Assert.Matches("^[A-Z]{2}$", country.Alpha2);
            Assert.Matches("^[A-Z]{3}$", country.Alpha3);
            Assert.NotEmpty(country.Names);
            Assert.All(country.Names, name => Assert.False(string.IsNullOrWhiteSpace(name)));
        }
        Assert.Equal(CountryTable.All.Count, CountryTable.All.Select(c => c.Alpha2).Distinct().Count());
        Assert.Equal(CountryTable.All.Count, CountryTable.All.Select(c => c.Alpha3).Distinct().Count());
    }
}
