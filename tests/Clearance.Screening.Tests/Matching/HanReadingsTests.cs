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
    public void UnihanVersion_NamesTheSourceFilesAndTheirVersion() =>
        Assert.Matches(@"^Unihan_Readings\.txt Unicode \d+\.\d+\.\d+; Unihan_Variants\.txt Unicode \d+\.\d+\.\d+$", HanReadings.UnihanVersion);

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
}
