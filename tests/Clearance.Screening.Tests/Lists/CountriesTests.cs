using Clearance.Model;
using Clearance.Screening.Lists;

namespace Clearance.Screening.Tests.Lists;

public sealed class CountriesTests
{
    [Theory]
    [InlineData("Korea, North", "KP")]
    [InlineData("Democratic People's Republic of Korea", "KP")]
    [InlineData("North Korea", "KP")]
    [InlineData("Iran (Islamic Republic of)", "IR")]
    [InlineData("Islamic Republic of Iran", "IR")]
    [InlineData("People's Republic of China", "CN")]
    [InlineData("Burma", "MM")]
    [InlineData("Congo, Democratic Republic of the", "CD")]
    [InlineData("Palestinian", "PS")]
    [InlineData("Côte d'Ivoire", "CI")]
    [InlineData("Türkiye", "TR")]
    [InlineData("by", "BY")]
    [InlineData("IRN", "IR")]
    [InlineData("UK", "GB")]
    [InlineData("Kosovo", "XK")]
    [InlineData("Netherlands Antilles", "AN")]
    [InlineData("ANT", "AN")]
    public void ToIso2_ListSpellings_MapToCode(string name, string code) => Assert.Equal(code, Countries.ToIso2(name));

    [Theory]
    [InlineData("")]
    [InlineData("undetermined")]
    [InlineData("Medellin")]
    [InlineData("ZZ")]
    public void ToIso2_NotACountry_Null(string text) => Assert.Null(Countries.ToIso2(text));

    [Theory]
    [InlineData("Korea, North")]
    [InlineData("KP")]
    [InlineData("PRK")]
    [InlineData("kp")]
    public void ToIso2_NorthKoreaNameOrCode_MapsToKP(string text) => Assert.Equal("KP", Countries.ToIso2(text));

    [Fact]
    public void Codes_EveryCodeOfCountryTable()
    {
        Assert.Equal(
            CountryTable.All.Select(c => c.Alpha2).Order(StringComparer.Ordinal), Countries.Codes.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ToIso2_EveryDestinationCode_MapsToItself()
    {
        foreach (var code in CountryCode.All)
            Assert.Equal(code.Value, Countries.ToIso2(code.Value));
    }

    [Fact]
    public void Codes_NotAcceptedByCountryCode_OnlyWithdrawnAN()
    {
        // Lists may name the Netherlands Antilles; a destination it is not, so the evaluator refuses it.
        Assert.Equal(["AN"], Countries.Codes.Where(c => !CountryCode.TryParse(c, out _)));
    }
}
