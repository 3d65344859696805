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
    public void ToIso2_ListSpellings_MapToCode(string name, string code) => Assert.Equal(code, Countries.ToIso2(name));

    [Theory]
    [InlineData("")]
    [InlineData("undetermined")]
    [InlineData("Medellin")]
    [InlineData("ZZ")]
    public void ToIso2_NotACountry_Null(string text) => Assert.Null(Countries.ToIso2(text));
}
