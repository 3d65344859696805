using System.Collections.Concurrent;
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

    private static readonly Lazy<Table> Loaded = new(Table.Load);

    /// <summary>The Unihan version the embedded table was built from (from its header).</summary>
    public static string UnihanVersion => Loaded.Value.Version;

    /// <summary>True for a character of the BMP Han blocks (CJK Unified Ideographs, Extension A, Compatibility Ideographs).</summary>
    /// <param name="c">A UTF-16 code unit.</param>
    public static bool IsHan(char c) =>
        c is (>= '\u4E00' and <= '\u9FFF') or (>= '\u3400' and <= '\u4DBF') or (>= '\uF900' and <= '\uFAFF');

    /// <summary>The readings of a character in a language (Hangul syllables for Korean, Latin syllables otherwise); empty when Unihan has none.</summary>
    /// <param name="c">A Han character.</param>
    /// <param name="language">The language reading it.</param>
    public static IReadOnlyList<string> Of(char c, HanLanguage language) => Loaded.Value.Readings(c, language);

    /// <summary>
    /// The character a Han character is one with for matching: its simplified form (業 → 业, 為 → 为), for a Japanese form
    /// that of its traditional form (竜 → 龍 → 龙, 沢 → 澤 → 泽), else itself (<see cref="HanReadingTable"/> says which).
    /// </summary>
    /// <param name="c">Any character.</param>
    public static char Fold(char c) => IsHan(c) ? Loaded.Value.Fold(c) : c;

    /// <summary>
    /// Every distinct Mandarin reading the table gives, in the order of the characters that first have it: read from the
    /// table's text as a whole, without splitting each character's column into strings (<see cref="Of"/> does that).
    /// </summary>
    public static IReadOnlyList<string> MandarinReadings() => Loaded.Value.DistinctReadings(HanLanguage.Mandarin);

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

    /// <summary>
    /// The embedded table as its text, one line a character, indexed by character: a character's line is found by its
    /// position in the Han blocks, its fold decoded at load, its readings split from its line when first asked for. Every
    /// process that first meets a Han character or compares two pinyin-like words loads the table (a recheck's first full
    /// check does). Split into a dictionary of entries and reading arrays, the load allocated 5.8 MB and cost ~22 ms of
    /// CPU, much of it first touches of fresh memory, tens of microseconds a 4 KB page on the VMs measured (the
    /// recheck's "check" phase 31-37 → 11-18 ms, docs/benchmarks.md, session 49). As text and two small arrays it
    /// allocates ~1 MB.
    /// </summary>
    private sealed class Table
    {
        // The BMP Han blocks IsHan accepts, one after the other: Extension A, the Unified Ideographs, the Compatibility Ideographs.
        private const int ExtensionA = 0x3400, ExtensionALength = 0x4DBF - 0x3400 + 1;
        private const int Unified = 0x4E00, UnifiedLength = 0x9FFF - 0x4E00 + 1;
        private const int Compatibility = 0xF900, CompatibilityLength = 0xFAFF - 0xF900 + 1;
        private const int Slots = ExtensionALength + UnifiedLength + CompatibilityLength;

        private readonly string _text;
        private readonly int[] _lines; // per slot, where the character's line starts in _text; -1: no line
        private readonly char[] _folds; // per slot, the character it folds to; '\0': itself
        private readonly ConcurrentDictionary<int, string[]> _readings = new(); // slot * 3 + language, split when first asked for

        private Table(string text, int[] lines, char[] folds, string version)
        {
            _text = text;
            _lines = lines;
            _folds = folds;
            Version = version;
        }

        public string Version { get; }

        private static int Slot(char c) => c switch
        {
            >= '\u3400' and <= '\u4DBF' => c - ExtensionA,
            >= '\u4E00' and <= '\u9FFF' => ExtensionALength + (c - Unified),
            >= '\uF900' and <= '\uFAFF' => ExtensionALength + UnifiedLength + (c - Compatibility),
            _ => -1,
        };

        public char Fold(char c)
        {
            char folds = _folds[Slot(c)];
            return folds == '\0' ? c : folds;
        }

        public IReadOnlyList<string> Readings(char c, HanLanguage language)
        {
            int slot = Slot(c);
            if (slot < 0 || _lines[slot] < 0)
            {
                return [];
            }

            return _readings.GetOrAdd(slot * 3 + (int)language, static (key, table) =>
            {
                ReadOnlySpan<char> column = table.Column(table._lines[key / 3], 1 + (key % 3));
                return column.IsEmpty ? [] : column.ToString().Split(',');
            }, this);
        }

        public IReadOnlyList<string> DistinctReadings(HanLanguage language)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            HashSet<string>.AlternateLookup<ReadOnlySpan<char>> seenSpan = seen.GetAlternateLookup<ReadOnlySpan<char>>();
            var readings = new List<string>();
            for (int slot = 0; slot < Slots; slot++)
            {
                if (_lines[slot] < 0)
                {
                    continue;
                }

                ReadOnlySpan<char> column = Column(_lines[slot], 1 + (int)language);
                foreach (Range reading in column.Split(','))
                {
                    ReadOnlySpan<char> text = column[reading];
                    if (!text.IsEmpty && !seenSpan.Contains(text))
                    {
                        string added = text.ToString();
                        seen.Add(added);
                        readings.Add(added);
                    }
                }
            }

            return readings;
        }

        // Column n (0: the character) of the line that starts at `start`; the load checked that each line has five.
        private ReadOnlySpan<char> Column(int start, int n)
        {
            ReadOnlySpan<char> line = _text.AsSpan(start);
            int end = line.IndexOf('\n');
            line = (end < 0 ? line : line[..end]).TrimEnd('\r');
            for (int i = 0; i < n; i++)
            {
                line = line[(line.IndexOf('\t') + 1)..];
            }

            int tab = line.IndexOf('\t');
            return tab < 0 ? line : line[..tab];
        }

        public static Table Load()
        {
            string text;
            using (Stream stream = typeof(HanReadings).Assembly.GetManifestResourceStream(HanReadingTable.ResourceName)
                ?? throw new InvalidOperationException($"{HanReadingTable.ResourceName} is not embedded in Clearance.Screening."))
            {
                text = Decode(stream);
            }

            var lines = new int[Slots];
            Array.Fill(lines, -1);
            var folds = new char[Slots];
            string version = string.Empty;
            Span<Range> columns = stackalloc Range[6];
            int lineNumber = 0;
            int start = 0;
            while (start < text.Length)
            {
                lineNumber++;
                int end = text.AsSpan(start).IndexOf('\n');
                end = end < 0 ? text.Length : start + end;
                ReadOnlySpan<char> line = text.AsSpan(start, end - start).TrimEnd('\r');
                if (lineNumber == 2)
                {
                    version = line.TrimStart("# ").ToString();
                }

                if (line.Length > 0 && line[0] != '#')
                {
                    // Six ranges: a sixth column, if any, is not folded into the fifth, so that such a line is refused.
                    int slot = line.Split(columns, '\t') == 5 && line[columns[0]].Length == 1 ? Slot(line[0]) : -1;
                    if (slot < 0 || line[columns[4]].Length > 1)
                    {
                        throw new InvalidDataException($"{HanReadingTable.ResourceName} line {lineNumber}: expected a Han character and four tab-separated columns.");
                    }

                    lines[slot] = start;
                    folds[slot] = line[columns[4]] is [char folded] ? folded : '\0';
                }

                start = end + 1;
            }

            return new Table(text, lines, folds, version);
        }

        // The resource as text: decoded in place from the executable's image where the runtime maps it (no copy of its
        // bytes first).
        private static unsafe string Decode(Stream stream)
        {
            if (stream is UnmanagedMemoryStream image && image.Length <= int.MaxValue)
            {
                return Encoding.UTF8.GetString(image.PositionPointer, (int)(image.Length - image.Position));
            }

            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return Encoding.UTF8.GetString(copy.GetBuffer(), 0, (int)copy.Length);
        }
    }
}
