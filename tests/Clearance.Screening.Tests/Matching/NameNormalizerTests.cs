using Clearance.Screening.Matching;

namespace Clearance.Screening.Tests.Matching;

public class NameNormalizerTests
{
    [Theory]
    [InlineData("Toshiba Co., Ltd.", "toshiba ~ltd")]
    [InlineData("株式会社東芝", "~jsc dong zhi")]
    [InlineData("(株)東芝", "~jsc dong zhi")]
    [InlineData("㈱東芝", "~jsc dong zhi")]
    [InlineData("삼성전자 주식회사", "samseong electronics ~jsc")]
    [InlineData("(주)삼성", "~jsc sam seong")]
    [InlineData("华为技术有限公司", "huawei technology ~ltd")]
    [InlineData("ООО Ромашка", "~llc romashka")]
    [InlineData("Oboronnye Initsiativy o.O.O.", "oboronnye initsiativy ~llc")]
    [InlineData("Siemens Aktiengesellschaft", "siemens ~jsc")]
    [InlineData("PJSC Rosneft", "~jsc rosneft")]
    [InlineData("Banco Santander S.A.", "bank santander ~jsc")]
    [InlineData("Acme LLC", "acme ~llc")]
    [InlineData("Müller GmbH", "muller ~llc")]
    public void Normalize_ReplacesLegalFormsByTheirClass(string name, string expected) =>
        Assert.Equal(expected, string.Join(' ', NameNormalizer.Normalize(name).Tokens));

    [Theory]
    [InlineData("A.B.C. Company", "abc ~co")]
    [InlineData("Beijing University of Aeronautics & Astronautics", "beijing university of air and aerospace")]
    [InlineData("O'Brien, Seán", "obrien sean")]
    [InlineData("Thomas A. Lind", "thomas a lind")]
    [InlineData("ＡＢＣ　Ｔｒａｄｉｎｇ", "abc trading")]
    [InlineData("Владимир Путин", "vladimir putin")]
    public void Normalize_FoldsCaseDiacriticsPunctuationAndScript(string name, string expected) =>
        Assert.Equal(expected, string.Join(' ', NameNormalizer.Normalize(name).Tokens));

    // Letters with dots that turn out not to be an abbreviation leave nothing behind of the attempt to read one (the
    // letters are collected in the token being read, and taken back when the reading fails).
    [Theory]
    [InlineData("U.S.A Trading", "usa trading")]
    [InlineData("x.y.zz Trading", "x y zz trading")]
    [InlineData("a.b2 Trading", "a b2 trading")]
    [InlineData("A.B.1 Trading", "a b 1 trading")]
    [InlineData("Trading a.b.c.", "trading abc")]
    [InlineData("a.bc d.e. Trading", "a bc de trading")]
    public void Normalize_DottedLettersReadAsAnAbbreviationOrAsTheirWords(string name, string expected) =>
        Assert.Equal(expected, string.Join(' ', NameNormalizer.Normalize(name).Tokens));

    [Fact]
    public void Normalize_KeepsTheOriginalScript()
    {
        NormalizedName name = NameNormalizer.Normalize("김정은");
        Assert.Equal("김정은", name.OriginalScriptKey);
        Assert.Equal(["gim", "jeong", "eun"], name.Tokens);
        Assert.Null(NameNormalizer.Normalize("Kim Jong Un").OriginalScriptKey);
    }

    [Fact]
    public void Normalize_AssignsRoles()
    {
        NormalizedName name = NameNormalizer.Normalize("Mr Hans J. al Friedrich of Acme Ltd 7");
        Assert.Equal(
            [TokenRole.Title, TokenRole.Name, TokenRole.Initial, TokenRole.Particle, TokenRole.Name, TokenRole.StopWord, TokenRole.Name, TokenRole.LegalForm, TokenRole.Number],
            name.Roles);
    }

    [Fact]
    public void Normalize_NameOfSmallWordsOnly_MakesThemSubstantive()
    {
        NormalizedName name = NameNormalizer.Normalize("AT&T");
        Assert.True(name.HasSubstance);
        Assert.Equal("atandt", name.Joined);
    }

    [Theory]
    [InlineData("mohamed", "muhammad")]
    [InlineData("aleksandr", "alexander")]
    [InlineData("yusuf", "yousef")]
    [InlineData("dmitry", "dmitriy")]
    public void PhoneticKey_SameForTransliterationVariants(string a, string b) =>
        Assert.Equal(NameNormalizer.PhoneticKey(a), NameNormalizer.PhoneticKey(b));

    [Theory]
    [InlineData("kim", "gim")]
    [InlineData("jong", "jeong")]
    [InlineData("jong", "chung")]
    [InlineData("sung", "seong")]
    [InlineData("park", "bak")]
    [InlineData("lee", "yi")]
    [InlineData("zhang", "chang")]
    public void SyllableKey_SameForRomanisationVariants(string a, string b) =>
        Assert.Equal(NameNormalizer.SyllableKey(a), NameNormalizer.SyllableKey(b));

    [Theory]
    [InlineData("john")]
    [InlineData("ali")]
    [InlineData("omar")]
    [InlineData("alexander")]
    public void SyllableKey_NullForWordsOfSeveralSyllables(string token) =>
        Assert.Null(NameNormalizer.SyllableKey(token));

    [Fact]
    public void Normalize_NumberWordsBecomeDigits() =>
        Assert.Equal(["brigade", "44", "3", "1"], NameNormalizer.Normalize("Brigade Forty-Four Three 1st").Tokens);

    [Fact]
    public void Normalize_RomanNumeralOnlyAfterAnotherWord() =>
        Assert.Equal(["xi", "jinping", "fund", "3"], NameNormalizer.Normalize("Xi Jinping Fund III").Tokens);

    [Fact]
    public void LegalFormsByFirstToken_AsLinqsGroupingAndStableOrdering()
    {
        // The plain loops the table is built with, against the LINQ it replaced, on the vocabulary's phrases and on
        // phrases of one first word and one length in a known order (the order a stable sort keeps).
        (string Phrase, string Class)[] ties = [("gesellschaft mbh", "b"), ("gesellschaft x", "a"), ("gesellschaft", "c"), ("gesellschaft y z", "d"), ("gesellschaft q", "e")];
        foreach (var phrases in new[] { NameVocabulary.LegalFormPhrases, ties })
        {
            var expected = phrases
                .Select(entry => (Tokens: entry.Phrase.Split(' '), ClassToken: NameVocabulary.LegalFormPrefix + entry.Class))
                .GroupBy(entry => entry.Tokens[0], StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.OrderByDescending(entry => entry.Tokens.Length).Select(e => string.Join(' ', e.Tokens) + "|" + e.ClassToken).ToArray(), StringComparer.Ordinal);
            var actual = NameVocabulary.ByFirstToken(phrases);
            Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
            foreach (var (first, forms) in expected)
                Assert.Equal(forms, actual[first].Select(f => string.Join(' ', f.Tokens) + "|" + f.ClassToken));
        }
    }
}
