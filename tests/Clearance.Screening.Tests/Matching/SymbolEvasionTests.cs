using Clearance.Screening.Lists;
using Clearance.Screening.Matching;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Clearance.Screening.Tests.Matching;

/// <summary>Symbols, emoji and punctuation added to a listed name must not hide it (issue 7, screening evasion).</summary>
public sealed class SymbolEvasionTests
{
    /// <summary>Noise a user (or an evader) can add to a name: punctuation, symbols, emoji with their joiners and selectors.</summary>
    private static readonly string[] Noise =
    [
        ",", ";", ":", "!", "?", "-", "(", ")", "\"", "/", "*", "#", "…", "«", "»", "¿", "¡", "—", "、", "。", "§",
        "©", "®", "™", "°", "№", "€", "£", "¥", "+", "=", "±", "×", "←", "★", "☭", "♥", "✓", "\uE000",
        "😀", "👍🏽", "🇨🇳", "👨‍👩‍👧", "1️⃣", "#️⃣", "❤️", "✅", "🔥", "⚠️", "🏳️‍🌈", "\U0001F600\uFE0F", "\u200D", "\u00AD", "\u200E",
    ];

    private static readonly Lazy<(ScreeningIndex Index, ListEntity[] Entities)> Listed = new(() =>
    {
        // Real listed names, read in place: the METI End User List (Latin, some with Chinese or Korean forms)
        // and every 40th OFAC SDN entry (persons, vessels, transliterated names).
        List<ListEntity> entities = [.. ListFiles.ParseAny("meti-eul", [SharedLists.Path("meti_eul", "meti_eul_2025-09-29.csv")])];
        entities.AddRange(ListFiles.ParseAny("ofac-csv", [SharedLists.Path("ofac_sdn", "sdn_2024-05-03.csv")]).Where((_, i) => i % 40 == 0));
        return (ScreeningIndex.Build(entities), [.. entities]);
    });

    [Theory]
    [InlineData("BANK OF KUNLUN 😀", "BANK OF KUNLUN")]
    [InlineData("😀BANK OF KUNLUN", "BANK OF KUNLUN")]
    [InlineData("BANK ❤️ OF 👍🏽 KUNLUN", "BANK OF KUNLUN")]
    [InlineData("BANK OF KUNLUN 🇨🇳", "BANK OF KUNLUN")]
    [InlineData("BANK OF KUNLUN 1️⃣", "BANK OF KUNLUN")]
    [InlineData("BANK OF KUNLUN™ №", "BANK OF KUNLUN")]
    [InlineData("BANK OF KUN\u00ADLUN\u200D", "BANK OF KUNLUN")]
    [InlineData("BANK\uFE0F OF KUNLUN \uE000 €", "BANK OF KUNLUN")]
    [InlineData("Банк😀", "Банк")]
    public void Normalize_SymbolsAndEmojiAddNoWords(string noisy, string clean) =>
        Assert.Equal(NameNormalizer.Normalize(clean).Tokens, NameNormalizer.Normalize(noisy).Tokens);

    [Theory]
    [InlineData("BANK OF KUN😀LUN", "BANK OF KUNLUN")]
    [InlineData("BANK OF KUN™LUN", "BANK OF KUNLUN")]
    [InlineData("BANK OF KUN-LUN", "BANK OF KUNLUN")]
    [InlineData("BANK OF KUN,.;LUN", "BANK OF KUNLUN")]
    [InlineData("BANK OF KUN👨‍👩‍👧LUN", "BANK OF KUNLUN")]
    [InlineData("BANK OF KUN1️⃣LUN", "BANK OF KUNLUN")]
    [InlineData("BANK OF KUN\uFE0FLUN 😀", "BANK OF KUNLUN 😀")]
    [InlineData("Ба😀нк", "Банк")]
    public void SpellingsWithoutMarksInsideWords_OneMarkInsideAWord_RemovedInTheOnlySpelling(string noisy, string unbroken) =>
        Assert.Equal([unbroken], NameNormalizer.SpellingsWithoutMarksInsideWords(noisy));

    [Fact]
    public void SpellingsWithoutMarksInsideWords_TwoMarks_EveryCombination() =>
        Assert.Equal(["ALSH-AYKH", "AL-SHAYKH", "ALSHAYKH"], NameNormalizer.SpellingsWithoutMarksInsideWords("AL-SH-AYKH"));

    [Fact]
    public void SpellingsWithoutMarksInsideWords_MoreMarksThanCombined_AllRemoved() =>
        Assert.Equal(["ABCDE"], NameNormalizer.SpellingsWithoutMarksInsideWords("A-B-C-D-E"));

    [Fact]
    public void SpellingsWithoutMarksInsideWords_AsciiTestedByCharacter_TheSameAsReadRuneByRune()
    {
        // The ASCII shortcut against the reading by runes it skips: random ASCII names (every printable character and a
        // tab, marks at the ends, doubled, beside spaces) and every name of the two real lists.
        var random = new Random(20261204);
        const string alphabet = "ABC xyz 019 .,-/&'()\"#*+:;!?@_~`|\t^%$<>=[]{}";
        var names = new List<string>();
        for (int n = 0; n < 20_000; n++)
        {
            var chars = new char[random.Next(0, 12)];
            for (int i = 0; i < chars.Length; i++)
            {
                chars[i] = random.Next(4) == 0 ? (char)random.Next(0x20, 0x7F) : alphabet[random.Next(alphabet.Length)];
            }

            names.Add(new string(chars));
        }

        names.AddRange(Listed.Value.Entities.SelectMany(e => e.Aliases.Select(alias => alias.Name).Prepend(e.PrimaryName)));
        int ascii = 0, spelled = 0;
        foreach (string name in names)
        {
            IReadOnlyList<string> expected = NameNormalizer.SpellingsByRunes(name);
            Assert.Equal(expected, NameNormalizer.SpellingsWithoutMarksInsideWords(name));
            ascii += System.Text.Ascii.IsValid(name) ? 1 : 0;
            spelled += expected.Count > 0 ? 1 : 0;
        }

        Assert.InRange(ascii, 20_000, names.Count);
        Assert.InRange(spelled, 1_000, names.Count - 1_000); // both answers met many times
    }

    [Theory]
    [InlineData("BANK OF KUNLUN")]
    [InlineData("BANK OF KUNLUN 😀")]
    [InlineData("😀BANK - OF KUNLUN!")]
    [InlineData("Crème brûlée")]
    public void SpellingsWithoutMarksInsideWords_NoMarkInsideAWord_None(string name) =>
        Assert.Empty(NameNormalizer.SpellingsWithoutMarksInsideWords(name));

    [Theory]
    [InlineData("BANK OF KUN😀LUN")]
    [InlineData("BANK OF KUN™LUN")]
    [InlineData("BANK OF KUN-LUN")]
    public void Screen_MarkInsideAWord_FindsTheListedNameAsWithoutIt(string noisy)
    {
        ScreeningIndex index = ScreeningIndex.Build(
            [new EntityBuilder("own", "1", EntityKind.Organization, "BANK OF KUNLUN CO LTD").Build()]);

        double clean = Assert.Single(index.Screen(new ScreeningQuery("BANK OF KUNLUN"))).Score;
        ScreeningMatch found = Assert.Single(index.Screen(new ScreeningQuery(noisy), out int total));

        Assert.Equal((clean, 1), (found.Score, total));
        Assert.Equal(found.Score, Assert.Single(index.ScreenFullScan(new ScreeningQuery(noisy))).Score);
    }

    [Theory]
    [InlineData("㈱東芝", "(株)東芝")]
    [InlineData("Ⓐⓑⓒ Trading", "ABC Trading")]
    public void Normalize_LettersInABoxAreKept(string boxed, string spelled) =>
        Assert.Equal(NameNormalizer.Normalize(spelled).Tokens, NameNormalizer.Normalize(boxed).Tokens);

    [Fact]
    public void Score_NameWithEmoji_StillAboveTheDefaultThreshold()
    {
        double score = NameScorer.Score(NameNormalizer.Normalize("BANK OF KUNLUN 😀"), NameNormalizer.Normalize("BANK OF KUNLUN"));
        Assert.True(score >= ScreeningIndex.DefaultThreshold, $"score {score}");
    }

    private static Arbitrary<(int Entity, (int Gap, int Noise, bool Spaced)[] Insertions)> NoisyNames() =>
        (from entity in Gen.Choose(0, 100_000)
         from count in Gen.Choose(1, 3)
         from insertions in Gen.ArrayOf(
             from gap in Gen.Choose(0, 100)
             from noise in Gen.Choose(0, Noise.Length - 1)
             from spaced in Gen.Elements(true, false)
             select (gap, noise, spaced), count)
         select (entity, insertions)).ToArbitrary();

    /// <summary>Inserts noise at word boundaries (start, end, next to a space), with or without a space of its own.</summary>
    private static string WithNoise(string name, (int Gap, int Noise, bool Spaced)[] insertions)
    {
        string noisy = name;
        foreach ((int gap, int noise, bool spaced) in insertions)
        {
            List<int> boundaries = [0, noisy.Length];
            for (int i = 0; i < noisy.Length; i++)
            {
                if (noisy[i] == ' ')
                {
                    boundaries.Add(i);
                    boundaries.Add(i + 1);
                }
            }

            int at = boundaries[gap % boundaries.Count];
            string inserted = spaced ? " " + Noise[noise] + " " : Noise[noise];
            noisy = noisy[..at] + inserted + noisy[at..];
        }

        return noisy;
    }

    /// <summary>Inserts noise between two characters of a word (or at the ends of a name without spaces).</summary>
    private static string WithNoiseInsideWords(string name, (int Gap, int Noise, bool Spaced)[] insertions)
    {
        string noisy = name;
        foreach ((int gap, int noise, bool _) in insertions)
        {
            List<int> inside = [];
            for (int i = 1; i < noisy.Length; i++)
            {
                if (char.IsLetterOrDigit(noisy[i - 1]) && char.IsLetterOrDigit(noisy[i]))
                {
                    inside.Add(i);
                }
            }

            if (inside.Count == 0)
            {
                continue;
            }

            int at = inside[gap % inside.Count];
            noisy = noisy[..at] + Noise[noise] + noisy[at..];
        }

        return noisy;
    }

    [Property(MaxTest = 400, Replay = "(20261201,1)", EndSize = 10)]
    public Property Screen_NoiseInsideWords_NeverHidesTheListedName() => ListedNamesFoundWith(WithNoiseInsideWords);

    [Property(MaxTest = 400, Replay = "(20260701,1)", EndSize = 10)]
    public Property Screen_NoiseAtWordBoundaries_NeverHidesTheListedName() => ListedNamesFoundWith(WithNoise);

    /// <summary>Every listed name, with noise added as <paramref name="withNoise"/> adds it, is still found at the default threshold.</summary>
    private static Property ListedNamesFoundWith(Func<string, (int Gap, int Noise, bool Spaced)[], string> withNoise) =>
        Prop.ForAll(NoisyNames(), c =>
        {
            (ScreeningIndex index, ListEntity[] entities) = Listed.Value;
            ListEntity entity = entities[c.Entity % entities.Length];
            string noisy = withNoise(entity.PrimaryName, c.Insertions);
            bool found = index.Screen(new ScreeningQuery(noisy, Limit: 50))
                .Any(m => m.EntityId == entity.EntityId && m.ListId == entity.ListId && m.Score >= ScreeningIndex.DefaultThreshold);
            return found.Label($"'{noisy}' does not find {entity.ListId} {entity.EntityId} '{entity.PrimaryName}'");
        });
}
