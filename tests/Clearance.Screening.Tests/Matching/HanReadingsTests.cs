using Clearance.Screening.Matching;

namespace Clearance.Screening.Tests.Matching;

/// <summary>A fact that needs Debian's unicode-data files; skipped, saying so, only when they are absent.</summary>
public sealed class UnihanFactAttribute : FactAttribute
{
    public UnihanFactAttribute()
    {
        if (!File.Exists(Path.Combine(HanReadingTable.DebianUnihanDirectory, "Unihan_Readings.txt.bz2"))
            && !File.Exists(Path.Combine(HanReadingTable.DebianUnihanDirectory, "Unihan_Readings.txt")))
        {
            Skip = $"Debian's unicode-data is not installed ({HanReadingTable.DebianUnihanDirectory}/Unihan_Readings.txt.bz2 is absent): "
                + "the Han reading table cannot be checked against its source; test.sh installs it (scripts/apt-install.sh)";
        }
    }
}

public class HanReadingsTests
{
    [UnihanFact]
    public void Embedded_EqualsTheTableGeneratedFromUnihan()
    {
        string? generated = HanReadingTable.GenerateFrom(HanReadingTable.DebianUnihanDirectory);

        Assert.NotNull(generated);
        // Regenerate with: dotnet run -c Release --project bench/Clearance.Benchmarks -- han-readings-table
        string[] expected = generated.Split('\n');
        string[] embedded = HanReadingTable.Embedded().Split('\n');
        int first = Enumerable.Range(0, Math.Min(expected.Length, embedded.Length)).FirstOrDefault(i => expected[i] != embedded[i], -1);
        Assert.True(
            first < 0 && expected.Length == embedded.Length,
            $"han-readings.tsv ({embedded.Length} lines) differs from the table generated from {HanReadingTable.DebianUnihanDirectory} ({expected.Length} lines)"
            + (first >= 0 ? $" at line {first + 1}: '{embedded[first]}' instead of '{expected[first]}'" : string.Empty));
    }

    [Fact]
    public void JoyoTraditionalForms_EachPairReadAlike()
    {
        // A guard against a wrong character in the data: the table's standard and traditional forms are one character, so
        // they share an on-reading (Unihan's, or its nearest variant's; 巢 has none, and shares 소 and chao with 巣).
        string[] rows = [.. HanReadingTable.JoyoTraditionalForms().Split('\n').Where(line => line.Length > 0 && line[0] != '#')];

        Assert.Equal(302, rows.Length);
        Assert.All(rows, row => Assert.Contains(
            Enum.GetValues<HanLanguage>(),
            language => HanReadings.Of(row[0], language).Intersect(HanReadings.Of(row[2], language)).Any()));
    }

    [Fact]
    public void OfAndFold_EveryLineOfTheTable_AsAPlainSplitOfItReads()
    {
        // The reference: the embedded text split line by line and column by column, as the table was read before it was
        // indexed in place (HanReadings.Table).
        var rows = HanReadingTable.Embedded().Split('\n').Select(line => line.TrimEnd('\r')).Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => line.Split('\t')).ToList();
        var mandarin = new List<string>();

        Assert.Equal(26987, rows.Count);
        foreach (string[] row in rows)
        {
            char c = row[0][0];
            foreach (HanLanguage language in Enum.GetValues<HanLanguage>())
            {
                string[] expected = row[1 + (int)language].Length == 0 ? [] : row[1 + (int)language].Split(',');
                Assert.Equal(expected, HanReadings.Of(c, language));
            }

            Assert.Equal(row[4].Length == 1 ? row[4][0] : c, HanReadings.Fold(c));
            mandarin.AddRange(row[2].Length == 0 ? [] : row[2].Split(','));
        }

        Assert.Equal(mandarin.Distinct(), HanReadings.MandarinReadings());
        // A Han character without a line reads nothing and folds to itself (U+9FFF is unassigned in Unicode 15).
        Assert.DoesNotContain(rows, row => row[0][0] == '\u9FFF');
        Assert.Empty(HanReadings.Of('\u9FFF', HanLanguage.Korean));
        Assert.Equal('\u9FFF', HanReadings.Fold('\u9FFF'));
        Assert.Empty(HanReadings.Of('A', HanLanguage.Mandarin));
    }

    [Fact]
    public void UnihanVersion_NamesTheSourceFilesAndTheirVersion() =>
        Assert.Matches(
            @"^Unihan_Readings\.txt Unicode \d+\.\d+\.\d+; Unihan_Variants\.txt Unicode \d+\.\d+\.\d+; Unihan_OtherMappings\.txt Unicode \d+\.\d+\.\d+$",
            HanReadings.UnihanVersion);

    [Theory]
    [InlineData('金', HanLanguage.Korean, "금,김")]
    [InlineData('正', HanLanguage.Korean, "정")]
    [InlineData('恩', HanLanguage.Korean, "은")]
    [InlineData('金', HanLanguage.Mandarin, "jin")]
    [InlineData('華', HanLanguage.Mandarin, "hua")]
    [InlineData('金', HanLanguage.Japanese, "kin,kon")]
    [InlineData('教', HanLanguage.Japanese, "kyo,ko")]
    // 為 has no kHangul of its own: its semantic variant 爲 gives 위; 华 takes 華's 화.
    [InlineData('為', HanLanguage.Korean, "위")]
    [InlineData('华', HanLanguage.Korean, "화")]
    public void Of_ReadsTheCharacterInTheLanguage(char c, HanLanguage language, string expected) =>
        Assert.Equal(expected, string.Join(',', HanReadings.Of(c, language)));

    [Theory]
    [InlineData('業', '业')]
    [InlineData('為', '为')]
    [InlineData('華', '华')]
    [InlineData('业', '业')]
    [InlineData('A', 'A')]
    public void Fold_TraditionalToItsSimplifiedForm(char c, char expected) => Assert.Equal(expected, HanReadings.Fold(c));

    [Theory]
    // Japanese standard form (shinjitai), traditional form (kyujitai), simplified form: one character for matching.
    [InlineData("竜龍龙")] // kJinmeiyoKanji 2010:U+7ADC on 龍
    [InlineData("沢澤泽")] // the Joyo Kanji Table's brackets only: Unihan 15.0 links 沢 to nothing
    [InlineData("広廣广")]
    [InlineData("国國国")]
    [InlineData("鉄鐵铁")]
    [InlineData("関關关")]
    [InlineData("売賣卖")]
    [InlineData("駅驛驿")]
    [InlineData("辺邊边")]
    [InlineData("斎齋斋")]
    [InlineData("郷鄕鄉乡")] // 鄕 is the table's form of 鄉: a z-variant
    [InlineData("戦戰战")]
    [InlineData("為爲为")]
    [InlineData("島嶋岛")] // a Jinmeiyo variant, not a bracketed form
    public void Fold_ShinjitaiTraditionalAndSimplified_OneCharacter(string forms) =>
        Assert.Single(forms.Select(HanReadings.Fold).Distinct());

    [Theory]
    // A shinjitai that Chinese writes as a character of its own, read otherwise, stays apart from the traditional form:
    // 芸 is yún (a herb) in Chinese, 藝 yì (art); 予 yǔ, 豫 yù; 浜 bāng, 濱 bīn; 缶 fǒu, 罐 guàn.
    [InlineData('芸', '藝')]
    [InlineData('予', '豫')]
    [InlineData('浜', '濱')]
    [InlineData('缶', '罐')]
    // 弁 stands for three traditional characters (辨 distinguish, 辯 speech, 瓣 petal), which stay three.
    [InlineData('弁', '辯')]
    [InlineData('辨', '辯')]
    [InlineData('辯', '瓣')]
    // Different characters of like shape.
    [InlineData('沢', '訳')]
    [InlineData('島', '鳥')]
    public void Fold_DifferentCharacters_NotMerged(char one, char other) => Assert.NotEqual(HanReadings.Fold(one), HanReadings.Fold(other));

    [Theory]
    [InlineData("崔竜海", "崔龍海")]
    [InlineData("崔竜海", "崔龙海")]
    [InlineData("崔龍海", "崔龙海")]
    [InlineData("澤田太郎", "沢田太郎")]
    [InlineData("澤田太郎", "泽田太郎")]
    [InlineData("廣島製鐵所", "広島製鉄所")]
    public void Normalize_ShinjitaiKyujitaiAndSimplified_OneOriginalScriptKeyAndExactScore(string one, string other)
    {
        Assert.Equal(NameNormalizer.Normalize(one).OriginalScriptKey, NameNormalizer.Normalize(other).OriginalScriptKey);
        Assert.Equal(1.0, PairScorer.Score(one, other));
    }

    [Fact]
    public void PairScorer_ChineseNamesWithCharactersAShinjitaiWouldMerge_NotExact()
    {
        // 王芸 (Wang Yun) and 王藝 (Wang Yi) are two Chinese names; the Japanese 芸 for 藝 must not make them one.
        Assert.NotEqual(NameNormalizer.Normalize("王芸").OriginalScriptKey, NameNormalizer.Normalize("王藝").OriginalScriptKey);
        Assert.True(PairScorer.Score("王芸", "王藝") < 1.0);
    }

    [Fact]
    public void Spellings_FirstReadingsFirstThenOneDeparture() =>
        Assert.Equal(["금정은", "김정은"], HanReadings.Spellings("金正恩", HanLanguage.Korean));

    [Fact]
    public void Spellings_ManyAmbiguousCharacters_Bounded()
    {
        // Ten characters of two or three on-readings each: 2^10 and more combinations, of which only the first few.
        IReadOnlyList<string> spellings = HanReadings.Spellings("金正行重楽明生下上和", HanLanguage.Japanese);

        Assert.Equal(HanReadings.MaxSpellingsPerLanguage, spellings.Count);
        Assert.Equal(" kinseikochogakumeiseikajowa ", spellings[0]);
        Assert.Equal(" konseikochogakumeiseikajowa ", spellings[1]);
    }

    [Fact]
    public void Normalize_SimplifiedAndTraditionalForms_OneOriginalScriptKey()
    {
        Assert.Equal(NameNormalizer.Normalize("华为").OriginalScriptKey, NameNormalizer.Normalize("華為").OriginalScriptKey);
        Assert.Equal(1.0, NameScorer.Score(NameNormalizer.Normalize("華為技術"), NameNormalizer.Normalize("华为技术")));
    }

    [Theory]
    [InlineData("金正恩", null, "gim jeong eun")]
    [InlineData("金正恩", "KP", "gim jeong eun")]
    [InlineData("真理教", "JP", "shinrikyo")]
    [InlineData("王芳", "JP", "oho")]
    public void Readings_HanName_ReadInTheLanguages(string name, string? country, string expected) =>
        Assert.Contains(expected, NameNormalizer.Readings(name, country).Select(r => string.Join(' ', r.Tokens)));

    [Fact]
    public void Readings_CountryNamesTheLanguage_OnlyItsReadings() =>
        Assert.DoesNotContain(NameNormalizer.Readings("金正恩", "KP"), r => r.Tokens.Contains("kin"));

    [Fact]
    public void Readings_KeepTheOriginalScriptKey() =>
        Assert.All(NameNormalizer.Readings("金正恩"), r => Assert.Equal(NameNormalizer.Normalize("金正恩").OriginalScriptKey, r.OriginalScriptKey));

    [Fact]
    public void Readings_LatinName_None() => Assert.Empty(NameNormalizer.Readings("Kim Jong Un"));

    [Fact]
    public void Readings_LongName_AtMostTheBound() =>
        Assert.InRange(NameNormalizer.Readings("金正行重楽明生下上和テストカタカナ").Count, 1, NameNormalizer.MaxReadings);

    [Theory]
    [InlineData("金正恩", "Kim Jong Un")]
    [InlineData("キム・ジョンウン", "KIM, Jong Un")]
    [InlineData("李炳哲", "RI, Pyong Chol")]
    public void PairScorer_ReadingMeetsTheLatinSpelling(string written, string latin) =>
        Assert.InRange(PairScorer.Score(written, latin), ScreeningIndex.DefaultThreshold, 1.0);

    [Fact]
    public void PairScorer_LatinNames_AsTheScorer() =>
        Assert.Equal(NameScorer.Score(NameNormalizer.Normalize("Wang Fang"), NameNormalizer.Normalize("Fan Yang")), PairScorer.Score("Wang Fang", "Fan Yang"));

    [Fact]
    public void Of_EveryCharacterOfTheEmbeddedTable_ItsColumnsAsWritten()
    {
        // The table is read with its repeated columns split once and shared: each character must still read as its line says.
        var lines = HanReadingTable.Embedded().Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split('\t')).ToList();
        Assert.True(lines.Count > 20_000, $"{lines.Count} characters");
        foreach (string[] columns in lines)
        {
            char c = columns[0][0];
            string[] Readings(int column) => columns[column].Length == 0 ? [] : columns[column].Split(',');
            Assert.Equal(Readings(1), HanReadings.Of(c, HanLanguage.Korean));
            Assert.Equal(Readings(2), HanReadings.Of(c, HanLanguage.Mandarin));
            Assert.Equal(Readings(3), HanReadings.Of(c, HanLanguage.Japanese));
            Assert.Equal(HanReadings.IsHan(c) && columns[4].Length == 1 ? columns[4][0] : c, HanReadings.Fold(c));
        }
    }
}
