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
    [InlineData("ウラジーミル・プーチン", Closed | Russian, "urazhimir putin")]
    [InlineData("エフゲニー・プリゴジン", Closed | Russian, "efgeni prigozhin")]
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

    [Fact]
    public void Readings_KanaName_MeetsTheLatinSpelling() =>
        Assert.Contains("kim jong un", NameNormalizer.Readings("キム・ジョンウン").Select(r => string.Join(' ', r.Tokens)));
}
