using Clearance.Screening.Matching;

namespace Clearance.Screening.Tests.Matching;

/// <summary>
/// Two words written wholly in pinyin meet only syllable by syllable, and a list word between two matched words of an
/// organisation's name is its own name: the causes of the ordinary Chinese companies and people that hit listed ones in
/// `screening-eval --cjk` (北京电子 / Chengdu Beizhang Electronics, 新华科技 / XINGHUA CO. LTD., 刘桂英 / LIU Cuiying).
/// </summary>
public class PinyinSyllablesTests(AllSharedListsFixture lists) : IClassFixture<AllSharedListsFixture>
{
    [Theory]
    [InlineData("beijing", "beizhang")]
    [InlineData("xinhua", "xinghua")]
    [InlineData("zhangcheng", "zhongcheng")]
    [InlineData("liuguiying", "liucuiying")]
    public void PinyinSyllablesDiffer_OneSyllableOther_True(string a, string b) =>
        Assert.True(NameScorer.PinyinSyllablesDiffer(a, b));

    [Theory]
    [InlineData("qinghua", "jinghua")] // q and j share a syllable key, as the romanisations of one initial do
    [InlineData("xian", "xian")]
    [InlineData("muhammad", "mohamed")] // not pinyin: the rule says nothing
    [InlineData("tsinghua", "qinghua")] // Wade-Giles is not pinyin
    [InlineData("jongun", "jeongeun")] // Korean romanisations
    public void PinyinSyllablesDiffer_SyllablesAgreeOrWordNotPinyin_False(string a, string b) =>
        Assert.False(NameScorer.PinyinSyllablesDiffer(a, b));

    [Fact]
    public void TokenSimilarity_PinyinWordsOfOneSkeleton_NoPhoneticMatch()
    {
        // Both are "bjng" without their vowels, zh read as j, but jing and zhang are two syllables.
        Assert.Equal(NameNormalizer.PhoneticKey("beijing"), NameNormalizer.PhoneticKey("beizhang"));

        double similarity = NameScorer.TokenSimilarity(
            "beijing", TokenRole.Name, NameNormalizer.PhoneticKey("beijing"),
            "beizhang", TokenRole.Name, NameNormalizer.PhoneticKey("beizhang"), out _);

        Assert.Equal(0.0, similarity);
    }

    [Fact]
    public void TokenSimilarity_TransliterationVariantsOutsidePinyin_StillPhonetic()
    {
        double similarity = NameScorer.TokenSimilarity(
            "mohamed", TokenRole.Name, NameNormalizer.PhoneticKey("mohamed"),
            "muhammad", TokenRole.Name, NameNormalizer.PhoneticKey("muhammad"), out TokenMatchKind kind);

        Assert.Equal(TokenMatchKind.Phonetic, kind);
        Assert.Equal(NameScorer.PhoneticSimilarity, similarity);
    }

    [Fact]
    public void TokenSimilarity_ReadingOneSyllableOff_NoMatchWhereATypedSpellingIsAFuzzyOne()
    {
        // Read from 新华 the word is exact, so xinghua (兴华) is another name; typed, "xinhua" may be a slip for xinghua.
        double typed = NameScorer.TokenSimilarity("xinhua", TokenRole.Name, null, "xinghua", TokenRole.Name, null, out _);
        double read = NameScorer.TokenSimilarity("xinhua", TokenRole.Name, null, "xinghua", TokenRole.Name, null, out _, readFromHan: true);

        Assert.True(typed >= ScreeningIndex.DefaultThreshold, $"typed {typed:0.000}");
        Assert.Equal(0.0, read);
    }

    [Theory]
    [InlineData("北京电子有限公司")] // Chengdu Beizhang Electronics Co. 0.87: beijing ~ beizhang by the skeleton
    [InlineData("新华科技有限公司")] // XINGHUA CO. LTD. 0.83: xinhua ~ xinghua one letter off
    [InlineData("长城科技集团有限公司")] // ZHONGCHENG HEAVY EQUIPMENT DEFENSE TECHNOLOGY SHANDONG GROUP 0.84
    [InlineData("华信科技股份有限公司")] // Xi'an Aerospace Huaxun Technology 0.85
    [InlineData("江苏科技股份有限公司")] // Jiangsu Carbon Element Technology 0.86: its own name left out
    [InlineData("上海科技有限责任公司")] // Shanghai Enterprise Technology Center 0.87
    public void Screen_OrdinaryChineseCompanyWithCountry_NoMatch(string name)
    {
        IReadOnlyList<ScreeningMatch> matches = lists.Index.Screen(new ScreeningQuery(name, "CN", EntityKind.Organization));

        Assert.True(matches.Count == 0, $"{name}: {string.Join(", ", matches.Select(m => $"{m.ListId}/{m.EntityId} {m.PrimaryName} {m.Score:0.000}"))}");
    }

    [Theory]
    [InlineData("刘桂英")] // LIU, Cuiying 0.81: liuguiying ~ liucuiying written together
    [InlineData("王桂英")] // WANG, Guoying 0.81
    [InlineData("王志强")] // WANG, Zhiqing 0.83
    [InlineData("李勇")] // LI, Hong Ri 0.81: yong ~ hong
    public void Screen_OrdinaryChinesePersonWithBirthDate_NoMatch(string name)
    {
        IReadOnlyList<ScreeningMatch> matches = lists.Index.Screen(new ScreeningQuery(name, "CN", EntityKind.Person, "1980-06-15"));

        Assert.True(matches.Count == 0, $"{name}: {string.Join(", ", matches.Select(m => $"{m.ListId}/{m.EntityId} {m.PrimaryName} {m.Score:0.000}"))}");
    }

    [Theory]
    [InlineData("刘翠英", "ofac-sdn", "23226")] // LIU, Cuiying: the same syllables written together
    [InlineData("王国英", "ofac-sdn", "16819")] // WANG, Guo Ying
    public void Screen_ListedChinesePersonInHan_StillFound(string name, string list, string id) =>
        Assert.Contains(lists.Index.Screen(new ScreeningQuery(name, "CN", EntityKind.Person)), m => m.IsListedAs(list, id));

    [Fact]
    public void Screen_ListedSpellingTypedOneLetterOff_StillFound() =>
        Assert.Contains(lists.Index.Screen(new ScreeningQuery("Xinhua Co Ltd")), m => m.IsListedAs("ofac-sdn", "43195"));
}
