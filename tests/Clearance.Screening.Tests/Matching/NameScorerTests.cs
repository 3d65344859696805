using Clearance.Screening.Matching;

namespace Clearance.Screening.Tests.Matching;

public class NameScorerTests
{
    private static double Score(string a, string b) => NameScorer.Score(NameNormalizer.Normalize(a), NameNormalizer.Normalize(b));

    [Fact]
    public void Score_IgnoresTokenOrder() =>
        Assert.Equal(1.0, Score("PUTIN, Vladimir", "Vladimir Putin"), 6);

    [Fact]
    public void Score_AmpersandEqualsAnd() =>
        Assert.Equal(1.0, Score("Beijing University of Aeronautics & Astronautics", "Beijing University of Aeronautics and Astronautics"), 6);

    [Fact]
    public void Score_HangulMatchesHangulExactly() =>
        Assert.Equal(1.0, Score("김정은", "김정은"), 6);

    [Fact]
    public void Score_SameScriptDifferenceIsNotHiddenByTransliteration() =>
        Assert.True(Score("高石早苗", "高市早苗") < ScreeningIndex.DefaultThreshold);

    [Fact]
    public void Score_LegalFormIsDownWeightedNotDeleted()
    {
        double withoutForm = Score("Siemens", "Siemens AG");
        double sameForm = Score("Siemens Aktiengesellschaft", "Siemens AG");
        double otherForm = Score("Siemens GmbH", "Siemens AG");
        Assert.True(withoutForm >= ScreeningIndex.DefaultThreshold);
        Assert.Equal(1.0, sameForm, 6);
        Assert.True(otherForm < sameForm);
    }

    [Fact]
    public void Score_LegalFormsAloneNeverMatch() =>
        Assert.Equal(0.0, Score("Alpha Co. Ltd.", "Beta Co. Ltd."));

    [Fact]
    public void Score_InitialMatchesItsName()
    {
        Assert.True(Score("Hans J Friedrich", "Hans Joachim Friedrich") >= ScreeningIndex.DefaultThreshold);
        Assert.True(Score("Hans O Friedrich", "Hans Joachim Friedrich") < Score("Hans J Friedrich", "Hans Joachim Friedrich"));
    }

    [Fact]
    public void Score_TyposStillMatch()
    {
        Assert.True(Score("Vladimr Puttin", "Vladimir Putin") >= ScreeningIndex.DefaultThreshold);
        Assert.True(Score("Mohamed Ali", "Muhammad Ali") >= ScreeningIndex.DefaultThreshold);
    }

    [Fact]
    public void Score_DifferentSurnameDoesNotMatch() =>
        Assert.True(Score("Ali Saddam Hussein al-Rawi", "Ali Saddam Hussein al-Tikriti") < ScreeningIndex.DefaultThreshold);

    [Fact]
    public void Score_SpacingDifferencesMatch()
    {
        Assert.True(Score("PolPot", "Pol Pot") >= ScreeningIndex.DefaultThreshold);
        Assert.True(Score("SiemensAG", "Siemens AG") >= ScreeningIndex.DefaultThreshold);
    }

    [Fact]
    public void Score_ExplanationListsAlignedTokens()
    {
        NormalizedName q = NameNormalizer.Normalize("Puttin Vladimir");
        NormalizedName c = NameNormalizer.Normalize("Vladimir Vladimirovich Putin");
        var explanation = new List<NameScoreExplanation>();
        double score = NameScorer.Score(q, NameScorer.RoleWeights(q), c, NameScorer.RoleWeights(c), explanation);
        NameScoreExplanation only = Assert.Single(explanation);
        Assert.Equal(score, only.Score, 9);
        Assert.Contains(only.Alignments, a => a.QueryToken == "puttin" && a.ListToken == "putin" && a.Kind == TokenMatchKind.Fuzzy);
        Assert.Contains(only.Alignments, a => a.QueryToken == "vladimir" && a.ListToken == "vladimir" && a.Kind == TokenMatchKind.Exact);
        Assert.Equal(["vladimirovich"], only.UnmatchedListTokens);
    }

    [Fact]
    public void Score_PatronymicDoesNotMatchSurnameOfSameStem() =>
        Assert.True(Score("Olga Mikhailova", "KAZAKOVA, Olga Mikhailovna") < ScreeningIndex.DefaultThreshold);

    [Fact]
    public void Score_PatronymicWithTypoStillMatchesPatronymic() =>
        Assert.True(Score("Kirill Konstantinovcih Shcherbakov", "SHCHERBAKOV, Kirill Konstantinovich") >= ScreeningIndex.DefaultThreshold);

    [Fact]
    public void Score_SwappedLineageIsAnotherPerson()
    {
        Assert.True(Score("Salman bin Muhammad al-Rawi", "Muhammad bin Salman al-Rawi") < ScreeningIndex.DefaultThreshold);
        Assert.Equal(1.0, Score("Muhammad bin Salman al-Rawi", "AL-RAWI, Muhammad bin Salman"), 6);
    }

    [Fact]
    public void Score_DifferentFamilyNameAfterSharedGivenNamesIsNoMatch() =>
        Assert.True(Score("Ayman Sabawi Ibrahim Hasan al-Dulaimi", "Ayman Sabawi Ibrahim Hasan al-Tikriti") < ScreeningIndex.DefaultThreshold);

    [Fact]
    public void Score_DifferentSpecificLegalFormsCountAgainst() =>
        Assert.True(Score("Deutsche Bank AG", "Deutsche Bank GmbH") < ScreeningIndex.DefaultThreshold);

    [Theory]
    [InlineData("Brigade Forty-Four", "Brigade 44")]
    [InlineData("1st International Bank", "First International Bank")]
    [InlineData("Snow Storm II", "Snow Storm 2")]
    public void Score_SpelledAndWrittenNumbersMatch(string a, string b) =>
        Assert.Equal(1.0, Score(a, b), 6);

    [Fact]
    public void Score_MembersOfANumberedSeriesAreRelated() =>
        Assert.True(Score("KKR Asian Fund III L.P.", "KKR Asian Fund IV L.P.") >= ScreeningIndex.DefaultThreshold);

    [Theory]
    [InlineData("김정은", "Kim Jong Un")]
    [InlineData("박지성", "Park Ji Sung")]
    public void Score_HangulMatchesCommonRomanisation(string hangul, string latin) =>
        Assert.True(Score(hangul, latin) >= ScreeningIndex.DefaultThreshold);

    [Theory]
    [InlineData("أحمد حسن", "Ahmed Hassan")]
    [InlineData("خالد محمود", "Khaled Mahmoud")]
    public void Score_ArabicMatchesLatinByConsonants(string arabic, string latin) =>
        Assert.True(Score(arabic, latin) >= ScreeningIndex.DefaultThreshold);

    [Fact]
    public void Score_ConsonantsAloneDoNotDecideBetweenLatinNames() =>
        Assert.True(Score("Hamid Hassan", "Ahmed Hassan") < ScreeningIndex.DefaultThreshold);
}
