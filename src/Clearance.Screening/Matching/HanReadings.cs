using System.Text;

namespace Clearance.Screening.Matching;

/// <summary>A language whose reading of Han characters a name may be written in.</summary>
public enum HanLanguage
{
    /// <summary>Korean (Hanja read in Hangul: 金正恩 → 김정은 → Gim Jeong Eun, which meets Kim Jong Un).</summary>
    Korean,

    /// <summary>Mandarin (Hanzi read in pinyin: 華為 → hua wei).</summary>
    Mandarin,

    /// <summary>Japanese on-readings (kanji read in their Sino-Japanese sound: 真理教 → shinrikyo).</summary>
    Japanese,
}

/// <summary>
/// The readings of Han characters (kanji, Hanja, Hanzi) from the Unihan database (the embedded table that
/// <see cref="HanReadingTable"/> generates), and the spellings of a name through them. A name written in Han characters
/// is read differently by each language that writes it: the transliteration alone (Mandarin-like) never meets the
/// Korean or Japanese Latin spelling a list gives (金正恩 is listed as KIM Jong Un). Simplified, traditional and Japanese
/// standard (shinjitai) forms fold to one character (<see cref="Fold"/>), so 华为 and 華為, 崔竜海, 崔龍海 and 崔龙海 are one
/// name in the original script.
/// </summary>
public static class HanReadings
{
    /// <summary>The most spellings of one name in one language: each character's first reading, then every other reading of one character, of two...</summary>
    public const int MaxSpellingsPerLanguage = 4;

    private static readonly Lazy<Dictionary<char, Entry>> Table = new(Load);

    /// <summary>The Unihan version the embedded table was built from (from its header).</summary>
    public static string UnihanVersion => Header.Value;

    private static readonly Lazy<string> Header = new(() =>
    {
        using var reader = OpenTable();
        reader.ReadLine();
        return reader.ReadLine()?.TrimStart('#', ' ') ?? string.Empty;
    });

    /// <summary>True for a character of the BMP Han blocks (CJK Unified Ideographs, Extension A, Compatibility Ideographs).</summary>
    /// <param name="c">A UTF-16 code unit.</param>
    public static bool IsHan(char c) =>
        c is (>= '\u4E00' and <= '\u9FFF') or (>= '\u3400' and <= '\u4DBF') or (>= '\uF900' and <= '\uFAFF');

    /// <summary>The readings of a character in a language (Hangul syllables for Korean, Latin syllables otherwise); empty when Unihan has none.</summary>
    /// <param name="c">A Han character.</param>
    /// <param name="language">The language reading it.</param>
    public static IReadOnlyList<string> Of(char c, HanLanguage language) =>
        Table.Value.TryGetValue(c, out Entry? entry) ? entry.Readings[(int)language] : [];

    /// <summary>
    /// The character a Han character is one with for matching: its simplified form (業 → 业, 為 → 为), for a Japanese form
    /// that of its traditional form (竜 → 龍 → 龙, 沢 → 澤 → 泽), else itself (<see cref="HanReadingTable"/> says which).
    /// </summary>
    /// <param name="c">Any character.</param>
    public static char Fold(char c) => IsHan(c) && Table.Value.TryGetValue(c, out Entry? entry) && entry.FoldsTo != '\0' ? entry.FoldsTo : c;

    /// <summary>
    /// The spellings of <paramref name="text"/> with its Han characters read in <paramref name="language"/>: each character
    /// replaced by a reading (a Hangul syllable; a Latin syllable between spaces; for Japanese, a run of kanji as one
    /// Latin word), at most
    /// <see cref="MaxSpellingsPerLanguage"/>, fewest departures from the first readings first. A character without a
    /// reading in the language stays as written. Empty when the text has no Han character with a reading.
    /// </summary>
    /// <param name="text">A name, folded to lower case.</param>
    /// <param name="language">The language reading it.</param>
    public static IReadOnlyList<string> Spellings(string text, HanLanguage language)
    {
        ArgumentNullException.ThrowIfNull(text);
        var positions = new List<int>();
        var choices = new List<IReadOnlyList<string>>();
        for (int i = 0; i < text.Length; i++)
        {
            if (IsHan(text[i]) && Of(text[i], language) is { Count: > 0 } readings)
            {
                positions.Add(i);
                choices.Add(readings);
            }
        }

        if (positions.Count == 0)
        {
            return [];
        }

        var spellings = new List<string>(MaxSpellingsPerLanguage);
        var picked = new int[positions.Count];
        for (int departures = 0; departures <= positions.Count && spellings.Count < MaxSpellingsPerLanguage; departures++)
        {
            Enumerate(0, departures);
        }

        return spellings;

        // Every choice with exactly `left` characters off their first reading, in order of position.
        void Enumerate(int position, int left)
        {
            if (spellings.Count >= MaxSpellingsPerLanguage)
            {
                return;
            }

            if (position == positions.Count)
            {
                if (left == 0)
                {
                    spellings.Add(Spell(text, positions, choices, picked, language));
                }

                return;
            }

            // The other readings of the earlier characters first: a name's first character (a surname) is the one
            // most often read otherwise (金 is 김 as a surname, 금 elsewhere).
            if (left > 0)
            {
                for (int k = 1; k < choices[position].Count; k++)
                {
                    picked[position] = k;
                    Enumerate(position + 1, left - 1);
                }
            }

            if (positions.Count - position > left)
            {
                picked[position] = 0;
                Enumerate(position + 1, left);
            }
        }
    }

    private static string Spell(string text, List<int> positions, List<IReadOnlyList<string>> choices, int[] picked, HanLanguage language)
    {
        var spelled = new StringBuilder(text.Length * 4);
        int next = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (next < positions.Count && positions[next] == i)
            {
                string reading = choices[next][picked[next]];
                // A Hangul syllable is transliterated later, one token per syllable, as Korean names are romanised (Kim
                // Jong Un); Mandarin syllables are spaced too (the scorer's joined form meets "Jinping", "Huawei"); a
                // Japanese word is romanised as one (Tanaka, Toshiba, Shinrikyo), so a run of kanji is read as one token,
                // which also keeps its short on-readings ("o", "ka") from passing for a syllable of another name.
                bool inRun = language == HanLanguage.Japanese && i > 0 && IsHan(text[i - 1]);
                bool runGoesOn = language == HanLanguage.Japanese && i + 1 < text.Length && IsHan(text[i + 1]);
                spelled.Append(language == HanLanguage.Korean ? reading : (inRun ? string.Empty : " ") + reading + (runGoesOn ? string.Empty : " "));
                next++;
            }
            else
            {
                spelled.Append(text[i]);
            }
        }

        return spelled.ToString();
    }

    private sealed record Entry(string[][] Readings, char FoldsTo);

    private static StreamReader OpenTable()
    {
        Stream stream = typeof(HanReadings).Assembly.GetManifestResourceStream(HanReadingTable.ResourceName)
            ?? throw new InvalidOperationException($"{HanReadingTable.ResourceName} is not embedded in Clearance.Screening.");
        return new StreamReader(stream, Encoding.UTF8);
    }

    /// <remarks>
    /// The 27,000 lines repeat a few thousand distinct columns (about 400 Mandarin syllables, fewer Hangul ones): each
    /// column's readings are split once and the array shared by every character that has it (nobody changes them). Every
    /// process that first meets a Han character or compares two pinyin-like words loads the table (the first full check of
    /// a recheck does): a line string, a split and an array for every column of every line allocated 11.2 MB and cost
    /// 26 ms of CPU there against 5.8 MB and 22 ms (medians of 6 cold processes, load 30).
    /// </remarks>
    private static Dictionary<char, Entry> Load()
    {
        // The whole table decoded at once and walked line by line as spans: a StreamReader's line strings (27,000 of them)
        // cost more than the table they become.
        string whole;
        using (StreamReader reader = OpenTable())
        {
            whole = reader.ReadToEnd();
        }

        var table = new Dictionary<char, Entry>(32_768);
        var split = new Dictionary<string, string[]>(StringComparer.Ordinal);
        Dictionary<string, string[]>.AlternateLookup<ReadOnlySpan<char>> splitOf = split.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<Range> columns = stackalloc Range[6];
        int lineNumber = 0;
        foreach (Range lineRange in whole.AsSpan().Split('\n'))
        {
            lineNumber++;
            ReadOnlySpan<char> text = whole.AsSpan()[lineRange].TrimEnd('\r');
            if (text.Length == 0 || text[0] == '#')
            {
                continue;
            }

            // Six ranges: a sixth column, if any, is not folded into the fifth, so that such a line is refused.
            if (text.Split(columns, '\t') != 5 || text[columns[0]].Length != 1 || text[columns[4]].Length > 1)
            {
                throw new InvalidDataException($"{HanReadingTable.ResourceName} line {lineNumber}: expected a character and four tab-separated columns.");
            }

            string[][] readings = [Split(text[columns[1]]), Split(text[columns[2]]), Split(text[columns[3]])];
            table[text[0]] = new Entry(readings, text[columns[4]] is [char folds] ? folds : '\0');
        }

        return table;

        string[] Split(ReadOnlySpan<char> column)
        {
            if (column.IsEmpty)
            {
                return [];
            }

            if (!splitOf.TryGetValue(column, out string[]? readings))
            {
                string spelled = column.ToString();
                readings = spelled.Split(',');
                split.Add(spelled, readings);
            }

            return readings;
        }
    }
}
