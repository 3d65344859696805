using Clearance.Screening.Matching;
using static Clearance.Screening.Matching.KanaPhonetics.Reading;

namespace Clearance.Screening.Tests.Matching;

public class KanaPhoneticsTests
{
    private static string Spelled(string kana, KanaPhonetics.Reading reading) =>
        string.Join(' ', KanaPhonetics.Spell(kana, reading).Split(' ', StringSplitOptions.RemoveEmptyEntries));

    [Theory]
    [InlineData("キム・ジョンウン", Full, "kimu jonun")]
    [InlineData("キム・ジョンウン", Closed, "kim jonun")]
    [InlineData("キム・ジョンウン", Closed | Velar, "kim jong un")]
    [InlineData("ズベルバンク", Closed, "zberbank")]
    [InlineData("ズベルバンク", Full, "zuberubanku")]
    [InlineData("ロスオボロンエクスポルト", Closed, "rosuoboroneksport")]
    [InlineData("クズネツォフ", Closed, "kuznetsov")]
    [InlineData("ムハンマド", Full, "muhammado")]
    [InlineData("ムハンマド", Closed, "muhammad")]
    [InlineData("アブドゥッラー", Closed | Lateral, "abdulla")]
    [InlineData("ヴィクトル", Full, "vikutoru")]
    [InlineData("セルゲイ・ラブロフ", Closed | Russian, "sergei ravrov")]
    [InlineData("ウラジーミル・プーチン", Closed | Russian, "vrazhimir putin")]
    [InlineData("ウラジーミル・プーチン", Closed | Russian | RussianDe, "vradimir putin")]
    [InlineData("ゲンナジー・ティムチェンコ", Closed | Russian | RussianDe, "gennadi timchenko")]
    [InlineData("エフゲニー・プリゴジン", Closed | Russian, "yevgeni prigozhin")]
    [InlineData("ヴィクトル・ヴェクセリベルク", Closed | Russian, "viktr vekselverg")]
    [InlineData("アルカジー・ローテンベルク", Closed | Russian | RussianDe, "arkadi rotenverg")]
    [InlineData("アルカジー・ローテンベルク", Closed, "arkaji rotemberk")]
    [InlineData("ユーリー・コヴァリチュク", Closed | Russian, "yuri kovalchuk")]
    [InlineData("ハサン・ナスルッラーフ", Closed, "hasan nasrllah")]
    [InlineData("ハサン・ナスルッラーフ", Full, "hasan nasurullafu")]
    [InlineData("イスマーイール・ハニーヤ", Closed | Lateral | ArabicEnding, "ismail haniyah")]
    [InlineData("ラブロフ", Closed | Lateral | ArabicEnding, "lablov")]
    [InlineData("ズベルバンク", Closed | Russian, "zvervank")]
    [InlineData("ファティマ", Full, "fatima")]
    [InlineData("チェ・ソンヒ", Closed | Velar, "che song hi")]
    [InlineData("ウラジーミル・プーチン", Closed, "urajimir puchin")]
    [InlineData("ウラジーミル＝プーチン", Full, "urajimiru puchin")]
    public void Spell_ForeignNameInKatakana(string kana, KanaPhonetics.Reading reading, string expected) =>
        Assert.Equal(expected, Spelled(kana, reading));

    [Fact]
    public void Spell_Hiragana_AsKatakana() =>
        Assert.Equal(Spelled("キム・ジョンウン", Closed | Velar), Spelled("きむ・じょんうん", Closed | Velar));

    [Fact]
    public void Spell_Sokuon_DoublesTheNextConsonant() => Assert.Equal("hakkaa", Spelled("ハッカア", Full));

    [Fact]
    public void Spell_OtherCharacters_Kept() => Assert.Equal("abc kimu", Spelled("abc キム", Full));

    [Theory]
    // Russian, Arabic and Persian names as the Japanese press writes them, against the list's spelling.
    [InlineData("ウラジーミル・プーチン", "PUTIN, Vladimir Vladimirovich")]
    [InlineData("ヴィクトル・ヴェクセリベルク", "VEKSELBERG, Viktor Feliksovich")]
    [InlineData("ゲンナジー・ティムチェンコ", "TIMCHENKO, Gennady Nikolayevich")]
    [InlineData("エフゲニー・プリゴジン", "PRIGOZHIN, Yevgeniy Viktorovich")]
    [InlineData("アルカジー・ローテンベルク", "ROTENBERG, Arkady Romanovich")]
    [InlineData("ハサン・ナスルッラーフ", "NASRALLAH, Hasan")]
    [InlineData("イスマーイール・ハニーヤ", "HANIYEH, Ismail")]
    public void PairScorer_KatakanaOfARussianOrArabicName_MeetsTheListedSpelling(string kana, string listed) =>
        Assert.InRange(PairScorer.Score(kana, listed), ScreeningIndex.DefaultThreshold, 1.0);

    [Fact]
    public void Readings_KanaName_MeetsTheLatinSpelling() =>
        Assert.Contains("kim jong un", NameNormalizer.Readings("キム・ジョンウン").Select(r => string.Join(' ', r.Tokens)));

    [Theory]
    [InlineData("チェ・リョンヘ", "chae ryong hae")]
    [InlineData("キム・ジョンウン", "kim jong un")]
    public void Spell_KoreanVowelReading_WritesTheSyllablesEAsAe(string kana, string expected) =>
        Assert.Equal(expected, Spelled(kana, Closed | Velar | KoreanVowel));

    [Fact]
    public void PairScorer_KoreanNameWithEForOeAndAe_MeetsTheListedSpelling()
    {
        // Before the Korean-vowel reading "che ryong he" left he / Hae three letters with no edit allowed: 0.53.
        Assert.InRange(PairScorer.Score("チェ・リョンヘ", "CHOE, Ryong Hae"), ScreeningIndex.DefaultThreshold, 1.0);
    }

    [Theory]
    [InlineData("rostec", "rostek")]
    [InlineData("jackson", "jakson")]
    [InlineData("alexander", "aleksander")]
    [InlineData("iraq", "irak")]
    [InlineData("chen", "chen")]
    public void FoldUnwrittenLetters_LettersKanaCannotWrite_AsTheirSound(string word, string expected) =>
        Assert.Equal(expected, KanaPhonetics.FoldUnwrittenLetters(word));

    [Fact]
    public void TokenSimilarity_KanaReadingOneLetterFromTheListSpelling_CountsAsTheSameWord()
    {
        // ロステック is "rostek"; ROSTEC differs only by a letter kana cannot write.
        double typed = NameScorer.TokenSimilarity("rostek", TokenRole.Name, null, "rostec", TokenRole.Name, null, out _);
        double read = NameScorer.TokenSimilarity("rostek", TokenRole.Name, null, "rostec", TokenRole.Name, null, out _, readFromKana: true);

        Assert.True(typed < 0.9, $"typed {typed:0.000}");
        Assert.Equal(1.0, read);
    }

    [Fact]
    public void TokenSimilarity_KanaReadingBeyondTheAllowedEdits_NotRaised()
    {
        // Three letters apart: the index reaches no candidate through such a word, so the fold must not make it a match.
        Assert.Equal(0.0, NameScorer.TokenSimilarity("kokaku", TokenRole.Name, null, "cocacu", TokenRole.Name, null, out _, readFromKana: true));
    }
}

public class HangulPhoneticsTests
{
    [Theory]
    [InlineData("블라디미르 푸틴", false, "bladimir putin")]
    [InlineData("블라디미르 푸틴", true, "vladimir futin")]
    [InlineData("세르게이 라브로프", false, "sergei labrop")]
    [InlineData("세르게이 라브로프", true, "sergei lavrov")]
    [InlineData("알리 하메네이", false, "ali hamenei")]
    [InlineData("김정은", false, "gimjongun")]
    public void Spell_ForeignNameInHangul(string hangul, bool labial, string expected) =>
        Assert.Equal(expected, string.Join(' ', HangulPhonetics.Spell(hangul, labial).Split(' ', StringSplitOptions.RemoveEmptyEntries)));

    [Fact]
    public void PairScorer_TwoHangulNamesOneSyllableApart_CappedInTheScript() =>
        // Read as foreign names both are "gimjongun"; in Hangul they differ by one syllable of three.
        Assert.InRange(PairScorer.Score("김종은", "김정은"), 0.0, 0.7);

    [Fact]
    public void Readings_HangulName_ReadAsATranscribedForeignName() =>
        Assert.Contains("sergei lavrov", NameNormalizer.Readings("세르게이 라브로프").Select(r => string.Join(' ', r.Tokens)));
}
