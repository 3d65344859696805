using Clearance.Screening.Lists;
using Clearance.Screening.Matching;

namespace Clearance.Screening.Tests.Matching;

/// <summary>The lists the organisation-word tests screen against, parsed and indexed once: OFAC SDN, the full CSL, METI EUL, UN.</summary>
public sealed class AllSharedListsFixture
{
    public AllSharedListsFixture()
    {
        Index = ScreeningIndex.Build(
        [
            .. ListFiles.ParseAny("ofac-csv", [SharedLists.Path("ofac_sdn", "sdn_2024-05-03.csv")]),
            .. ListFiles.ParseAny("csl-csv", [SharedLists.Path("csl_full", "consolidated_2026-07-31.csv")]),
            .. ListFiles.ParseAny("meti-eul", [SharedLists.Path("meti_eul", "meti_eul_2025-09-29.csv")]),
            .. ListFiles.ParseAny("un-xml", [SharedLists.Path("un", "UN_consolidated_2026-02-27.xml")]),
        ]);
    }

    public ScreeningIndex Index { get; }
}

public class OrganisationWordsTests(AllSharedListsFixture lists) : IClassFixture<AllSharedListsFixture>
{
    [Fact]
    public void Normalize_AirlinesAndAirways_ReadAsTheConceptAir()
    {
        NormalizedName airlines = NameNormalizer.Normalize("Mahan Airlines");
        NormalizedName airways = NameNormalizer.Normalize("MAHAN AIRWAYS");

        Assert.Equal(["mahan", "air"], airlines.Tokens);
        Assert.Equal(airlines.Tokens, airways.Tokens);
        Assert.Equal([TokenRole.Name, TokenRole.OrganisationWord], airlines.Roles);
    }

    [Fact]
    public void Normalize_HanNameWithoutSpaces_SegmentedByTheLongestTableWord()
    {
        // 華為技術有限公司 (Huawei Technologies Co., Ltd.): the legal form, then 技術 = technology; the rest is one word.
        Assert.Equal(["huawei", "technology", "~ltd"], NameNormalizer.Normalize("華為技術有限公司").Tokens);

        // 航空宇宙 (aerospace, Japanese) is longer than 航空 (air) and wins at its position.
        Assert.Equal(["mitsubishi", "aerospace"], NameNormalizer.Normalize("mitsubishi 航空宇宙").Tokens);
    }

    [Fact]
    public void Normalize_HangulPersonName_KeepsOneTokenPerSyllable()
    {
        // No table word in it: a person's name is left to the syllable-by-syllable reading.
        Assert.Equal(["gim", "jeong", "eun"], NameNormalizer.Normalize("김정은").Tokens);
    }

    [Fact]
    public void Score_MissingOrganisationWord_CostsLessThanAMissingNameWord()
    {
        double withoutBank = NameScorer.Score(NameNormalizer.Normalize("Tanchon Commercial"), NameNormalizer.Normalize("Tanchon Commercial Bank"));
        double withoutWord = NameScorer.Score(NameNormalizer.Normalize("Tanchon Commercial"), NameNormalizer.Normalize("Tanchon Commercial Credit"));

        Assert.True(withoutBank > withoutWord, $"without 'bank' {withoutBank:0.000}, without 'credit' {withoutWord:0.000}");
    }

    [Fact]
    public void Score_DifferentOrganisationWords_DoNotMatch()
    {
        // A bank and a university of one name are two organisations: the concepts never align.
        double score = NameScorer.Score(NameNormalizer.Normalize("Kunlun Bank"), NameNormalizer.Normalize("Kunlun University"));

        Assert.True(score < ScreeningIndex.DefaultThreshold, $"score {score:0.000}");
    }

    [Fact]
    public void Screen_MahanAirlines_FindsMahanAirOnTheSdnList()
    {
        ScreeningMatch match = Assert.Single(lists.Index.Screen(new ScreeningQuery("Mahan Airlines")), m => m.IsListedAs("ofac-sdn", "12927"));

        Assert.Equal("MAHAN AIR", match.PrimaryName);
        Assert.True(match.Score >= 0.95, $"score {match.Score:0.000}");
        Assert.Contains(match.Explanation.Name.Alignments, a => a.QueryToken == "air" && a.ListToken == "air");
    }

    [Fact]
    public void Screen_MahanAirInKatakanaAndKanji_FindsMahanAir()
    {
        // マハン航空, the Japanese press's rendering: the katakana name transliterated, 航空 read as "air".
        Assert.Contains(lists.Index.Screen(new ScreeningQuery("マハン航空")), m => m.IsListedAs("ofac-sdn", "12927"));
    }

    [Fact]
    public void Screen_KoreanBankName_MeetsTheEnglishListing()
    {
        // 대성은행 (Daesong Bank): listed by OFAC as KOREA DAESONG BANK (a.k.a. CHOSON TAESONG UNHAENG) and by METI.
        IReadOnlyList<ScreeningMatch> matches = lists.Index.Screen(new ScreeningQuery("대성은행"));

        ScreeningMatch sdn = Assert.Single(matches, m => m.IsListedAs("ofac-sdn", "12312"));
        Assert.True(sdn.Score >= ScreeningIndex.DefaultThreshold);
        Assert.Contains(sdn.Explanation.Name.Alignments, a => a.QueryToken == "bank" && a.ListToken == "bank");
        Assert.Contains(matches, m => m.IsListedAs("meti-eul", "334"));
    }

    [Fact]
    public void Screen_JapaneseAndChineseBankNames_MeetBankOfKunlun()
    {
        // 崑崙銀行 (Japanese, traditional characters) and 昆仑银行 (Chinese, simplified): BANK OF KUNLUN CO LTD on the CSL.
        Assert.Contains(lists.Index.Screen(new ScreeningQuery("崑崙銀行")), m => m.IsListedAs("csl-cap", "1"));
        Assert.Contains(lists.Index.Screen(new ScreeningQuery("昆仑银行")), m => m.IsListedAs("csl-cap", "1"));
    }

    [Fact]
    public void Screen_ChineseUniversityName_MeetsTheEnglishEntityListEntry()
    {
        // 北京航空航天大学: the Entity List writes it only in English, Beijing University of Aeronautics and Astronautics.
        ScreeningMatch match = Assert.Single(lists.Index.Screen(new ScreeningQuery("北京航空航天大学")), m => m.IsListedAs("csl-el", "5176"));

        // The listing adds "(BUAA)", a word rarer than any the query matched: it counts as the organisation's own name
        // (NameScorer's leftover rule), which keeps the match but not above 0.9.
        Assert.True(match.Score >= ScreeningIndex.DefaultThreshold, $"score {match.Score:0.000}");
    }

    [Fact]
    public void Screen_HuaweiInHan_FindsTheEntityListEntry()
    {
        Assert.Contains(lists.Index.Screen(new ScreeningQuery("華為技術有限公司")), m => m.IsListedAs("csl-el", "5207"));
    }

    [Fact]
    public void Score_GluedHanRunWithMoreSyllables_NotAPhoneticMatch()
    {
        // 宏达医药 is read as one word, "hongdayiyao"; without its vowels and y it has the key of "hongdu" (h-n-g-d), but
        // it is twice as long: two syllables more are another name.
        NormalizedName query = NameNormalizer.Normalize("宏达医药集团有限公司");
        NormalizedName listed = NameNormalizer.Normalize("Hongdu Aviation Industry Group Ltd.");

        Assert.Contains("hongdayiyao", query.Tokens);
        Assert.Equal(0.0, NameScorer.TokenSimilarity("hongdayiyao", TokenRole.Name, "hngd", "hongdu", TokenRole.Name, "hngd", out _));
        Assert.True(NameScorer.Score(query, listed) < ScreeningIndex.DefaultThreshold);
    }

    [Theory]
    [InlineData("宏达医药集团有限公司")]
    [InlineData("深圳科技有限责任公司")]
    [InlineData("东方科技股份有限公司")]
    public void Screen_OrdinaryChineseCompanyWithCountry_NoMatch(string name)
    {
        // Each of these hit a listed company (Hongdu Aviation Industry Group, Shenzhen Huawei Technologies, Dongfang Wangli
        // Technology) at 0.91-0.93: 医药 read into the sound of the name (宏达医药), or a matched trade word leaving the
        // listed company's own name (Huawei, Wangli) at the share of a middle name.
        IReadOnlyList<ScreeningMatch> matches = lists.Index.Screen(new ScreeningQuery(name, "CN", EntityKind.Organization));

        Assert.True(matches.Count == 0, $"{name}: {string.Join(", ", matches.Select(m => $"{m.ListId}/{m.EntityId} {m.PrimaryName} {m.Score:0.000}"))}");
    }

    [Fact]
    public void Screen_HuaweiInSimplifiedHanWithCountry_StillFound()
    {
        // The listed one of the same shape (place or trade name, trade word, legal form) is still found: 华为 carries it.
        Assert.Contains(
            lists.Index.Screen(new ScreeningQuery("华为技术有限公司", "CN", EntityKind.Organization)),
            m => m.IsListedAs("csl-el", "5207"));
    }

    [Theory]
    [InlineData("株式会社東芝")]
    [InlineData("삼성전자")]
    [InlineData("삼성전자 주식회사")]
    [InlineData("Tokyo University of Science")]
    [InlineData("東京理科大学")]
    [InlineData("三菱電機株式会社")]
    [InlineData("日本航空")]
    [InlineData("대한항공")]
    [InlineData("みずほ銀行")]
    [InlineData("Korea University")]
    public void Screen_OrdinaryCompanyOrUniversity_NoMatch(string name)
    {
        IReadOnlyList<ScreeningMatch> matches = lists.Index.Screen(new ScreeningQuery(name));

        Assert.True(matches.Count == 0, $"{name}: {string.Join(", ", matches.Select(m => $"{m.ListId}/{m.EntityId} {m.PrimaryName} {m.Score:0.000}"))}");
    }
}
