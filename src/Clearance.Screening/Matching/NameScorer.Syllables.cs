namespace Clearance.Screening.Matching;

/// <summary>The syllable check of the phonetic comparison: two words written wholly in pinyin meet only syllable by syllable.</summary>
public static partial class NameScorer
{
    /// <summary>The longest pinyin syllable (zhuang, shuang).</summary>
    private const int LongestPinyinSyllable = 6;

    /// <summary>
    /// Every Mandarin syllable with a vowel that the Unihan readings give (<see cref="HanReadings"/>, about 400), each with
    /// the key its romanisations share (<see cref="NameNormalizer.SyllableKey"/>, or the syllable itself when it has none).
    /// Taken from the readings rather than typed in, so that the inventory is the one the query's Han characters are read
    /// with.
    /// </summary>
    private static readonly Lazy<Dictionary<string, string>> PinyinSyllables = new(() =>
    {
        var syllables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string reading in HanReadings.MandarinReadings())
        {
            // Unihan also gives interjections without a vowel (m, n, hm, ng); no name is divided into those.
            if (reading.AsSpan().IndexOfAny("aeiouv") >= 0)
            {
                syllables.Add(reading, NameNormalizer.SyllableKey(reading) ?? reading);
            }
        }

        return syllables;
    });

    /// <summary>
    /// True when both words divide wholly into pinyin syllables and no division of each pairs their syllables one for one
    /// with the same syllable key. Their consonant skeletons can still be equal, because a skeleton drops the vowels and
    /// merges zh and j: bei-jing and bei-zhang (Beizhang) are both "bjng", but jing and zhang are two syllables, and so two
    /// names, as two differing words of one syllable are (Jing / Zhang). A word that is not wholly pinyin (Muhammad,
    /// Tsinghua, a Korean or Japanese spelling) is not judged by this.
    /// </summary>
    /// <param name="a">A lower-case ASCII name word.</param>
    /// <param name="b">Another.</param>
    public static bool PinyinSyllablesDiffer(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> syllables = PinyinSyllables.Value.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!DividesIntoSyllables(a, syllables) || !DividesIntoSyllables(b, syllables))
        {
            return false;
        }

        // failed[i * (b.Length + 1) + j]: the rest of a from i and of b from j were already found not to pair up.
        Span<bool> failed = (a.Length + 1) * (b.Length + 1) <= 1024 ? stackalloc bool[(a.Length + 1) * (b.Length + 1)] : new bool[(a.Length + 1) * (b.Length + 1)];
        failed.Clear();
        return !PairUp(a, 0, b, 0, syllables, failed);
    }

    /// <summary>True for an original-script key whose letters are all Han characters (digits may stand among them).</summary>
    private static bool IsWrittenInHan(string? originalScriptKey)
    {
        if (originalScriptKey is null)
        {
            return false;
        }

        foreach (char c in originalScriptKey)
        {
            if (!HanReadings.IsHan(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool DividesIntoSyllables(string word, Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> syllables)
    {
        // reachable[i]: word[..i] divides into syllables.
        Span<bool> reachable = word.Length < 256 ? stackalloc bool[word.Length + 1] : new bool[word.Length + 1];
        reachable.Clear();
        reachable[0] = true;
        for (int start = 0; start < word.Length; start++)
        {
            if (!reachable[start])
            {
                continue;
            }

            for (int length = 1; length <= LongestPinyinSyllable && start + length <= word.Length; length++)
            {
                reachable[start + length] |= syllables.ContainsKey(word.AsSpan(start, length));
            }
        }

        return reachable[word.Length];
    }

    private static bool PairUp(
        string a, int i, string b, int j, Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> syllables, Span<bool> failed)
    {
        if (i == a.Length || j == b.Length)
        {
            return i == a.Length && j == b.Length;
        }

        int state = (i * (b.Length + 1)) + j;
        if (failed[state])
        {
            return false;
        }

        for (int la = 1; la <= LongestPinyinSyllable && i + la <= a.Length; la++)
        {
            if (!syllables.TryGetValue(a.AsSpan(i, la), out string? keyA))
            {
                continue;
            }

            for (int lb = 1; lb <= LongestPinyinSyllable && j + lb <= b.Length; lb++)
            {
                if (syllables.TryGetValue(b.AsSpan(j, lb), out string? keyB)
                    && string.Equals(keyA, keyB, StringComparison.Ordinal)
                    && PairUp(a, i + la, b, j + lb, syllables, failed))
                {
                    return true;
                }
            }
        }

        failed[state] = true;
        return false;
    }
}
