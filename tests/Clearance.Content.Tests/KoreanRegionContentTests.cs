using Clearance.Content;
using Clearance.Model;
using NodaTime.Text;

namespace Clearance.Content.Tests;

/// <summary>The shipped Korean regional classification (kr.yaml): Ga / Ga-1 / Ga-2 membership over time and its sourcing.</summary>
public sealed class KoreanRegionContentTests
{
    private static readonly Jurisdiction Korea = ContentLoader.LoadBuiltIn().Find("KR")!;

    private static CountrySet Set(string id) => Assert.Single(Korea.Sets, s => s.Id == id);

    private static List<string> MembersOn(string setId, string date)
    {
        var day = LocalDatePattern.Iso.Parse(date).Value;
        return [.. Set(setId).Members.Where(m => m.Period.Contains(day)).Select(m => m.Country.ToString())];
    }

    [Theory]
    [InlineData("2019-09-17")]
    [InlineData("2023-04-24")]
    public void LoadBuiltIn_GaHas29MembersIncludingJapanOutsideTheSplit(string date)
    {
        var ga = MembersOn("ga", date);

        Assert.Equal(29, ga.Count);
        Assert.Contains("JP", ga);
        Assert.Empty(MembersOn("ga-1", date));
        Assert.Empty(MembersOn("ga-2", date));
    }

    [Theory]
    [InlineData("2019-09-18")]
    [InlineData("2023-04-23")]
    public void LoadBuiltIn_GaSplitInto28AndJapanAloneFrom20190918To20230423(string date)
    {
        var gaOne = MembersOn("ga-1", date);

        Assert.Empty(MembersOn("ga", date));
        Assert.Equal(28, gaOne.Count);
        Assert.DoesNotContain("JP", gaOne);
        Assert.Equal(["JP"], MembersOn("ga-2", date));
    }

    [Fact]
    public void LoadBuiltIn_GaOneIsGaWithoutJapan()
    {
        var ga = MembersOn("ga", "2019-09-17").Where(c => c != "JP").Order(StringComparer.Ordinal);

        Assert.Equal(ga, MembersOn("ga-1", "2019-09-18").Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("ga", "TR")]
    [InlineData("ga", "UA")]
    [InlineData("ga-1", "TR")]
    [InlineData("ga-1", "UA")]
    public void LoadBuiltIn_DerivedGaMembersStayFlaggedWithNote(string setId, string country)
    {
        var memberships = Set(setId).Members.Where(m => m.Country.ToString() == country).ToList();

        Assert.NotEmpty(memberships);
        Assert.All(memberships, m => Assert.True(m.Citation.Unconfirmed));
        Assert.All(memberships, m => Assert.Contains("derived", m.Citation.Note, StringComparison.Ordinal));
    }

    [Fact]
    public void LoadBuiltIn_SourcedGaMembersAreNotFlagged()
    {
        var flagged = Set("ga").Members.Where(m => m.Citation.Unconfirmed).Select(m => m.Country.ToString()).Distinct().Order(StringComparer.Ordinal);

        Assert.Equal(["TR", "UA"], flagged);
    }

    [Theory]
    [InlineData("kr.strategic-items", "Art. 19(2)")]
    [InlineData("kr.catch-all.wmd", "Art. 19(3)")]
    public void LoadBuiltIn_KoreanRequirementsCiteForeignTradeActArticle(string ruleId, string article)
    {
        var rule = Assert.Single(Korea.Requirements, r => r.Id == ruleId);

        Assert.Contains("Foreign Trade Act " + article, rule.Citation.Text, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(rule.Citation.Url));
    }

    [Fact]
    public void LoadBuiltIn_EveryKoreanFlagCarriesANote()
    {
        var citations = Korea.Sets.SelectMany(s => s.Members.Select(m => m.Citation).Append(s.Citation))
            .Concat(Korea.Requirements.Select(r => r.Citation))
            .Concat(Korea.Scope.Select(r => r.Citation))
            .Concat(Korea.Reviews.Select(r => r.Citation))
            .Concat(Korea.Items.Select(i => i.Citation));

        Assert.All(citations.Where(c => c.Unconfirmed), c => Assert.False(string.IsNullOrWhiteSpace(c.Note), c.Text));
    }
}
