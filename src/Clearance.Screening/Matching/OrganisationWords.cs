using System.Collections.Frozen;
using System.Text;
using AnyAscii;

namespace Clearance.Screening.Matching;

/// <summary>
/// The words organisations are named with (bank, university, air, technology...), in the languages and scripts list
/// names and customer masters are written in. Every word of a row is read as the row's concept, an English word
/// ("銀行", "은행", "banking", "unhaeng" are all "bank"), so that a name written in one language meets its translation:
/// "Mahan Airlines" meets MAHAN AIR, "대성은행" meets KOREA DAESONG BANK. Concept tokens have the role
/// <see cref="TokenRole.OrganisationWord"/>: one left out costs half what a name word would
/// (<see cref="NameScorer.AbsentOrganisationWordFactor"/>), so a name that leaves one out ("Harbin Institute" / "Harbin
/// Institute of Technology") loses less, and a match never rests on them alone. docs/screening.md
/// lists the table; changing it changes the algorithm (<see cref="NameScorer.Algorithm"/>).
/// </summary>
public static class OrganisationWords
{
    /// <summary>
    /// One word of the table.
    /// </summary>
    /// <param name="Concept">The concept, an English word: the token every word of the row becomes.</param>
    /// <param name="Language">BCP 47 tag of the language and script the word is written in ("ko", "zh-Hant", "ko-Latn" for a romanisation).</param>
    /// <param name="Word">The word as written (Latin words lower case, without diacritics, as the normaliser produces them).</param>
    public sealed record Row(string Concept, string Language, string Word);

    /// <summary>
    /// The table. Latin words are whole tokens; Han and Hangul words are found inside names, which these scripts write
    /// without spaces (華為技術有限公司), longest first. Romanisations are Revised (eunhaeng) and McCune–Reischauer
    /// (unhaeng) for Korean, Hepburn for Japanese and pinyin for Chinese: the spellings OFAC and the UN use in aliases
    /// (KOREA DAESONG BANK, a.k.a. CHOSON TAESONG UNHAENG).
    /// </summary>
    public static readonly IReadOnlyList<Row> Table =
    [
        .. Rows("bank", "en", "bank", "banking"), .. Rows("bank", "fr", "banque"), .. Rows("bank", "es", "banco"),
        .. Rows("bank", "it", "banca"), .. Rows("bank", "ja", "銀行"), .. Rows("bank", "zh-Hant", "銀行"),
        .. Rows("bank", "zh-Hans", "银行"), .. Rows("bank", "ko", "은행"), .. Rows("bank", "ko-Latn", "eunhaeng", "unhaeng"),
        .. Rows("bank", "ja-Latn", "ginko", "ginkou"), .. Rows("bank", "zh-Latn", "yinhang"),

        .. Rows("university", "en", "university", "univ"), .. Rows("university", "fr", "universite"),
        .. Rows("university", "es", "universidad"), .. Rows("university", "it", "universita"),
        .. Rows("university", "pt", "universidade"), .. Rows("university", "de", "universitat"),
        .. Rows("university", "ja", "大学"), .. Rows("university", "zh-Hans", "大学"), .. Rows("university", "zh-Hant", "大學"),
        .. Rows("university", "ko", "대학", "대학교"), .. Rows("university", "ja-Latn", "daigaku"),
        .. Rows("university", "ko-Latn", "daehak", "taehak", "daehakgyo", "taehakkyo"), .. Rows("university", "zh-Latn", "daxue"),

        // 航空 names airlines and aeronautics alike (北京航空航天大学: Beijing University of Aeronautics and Astronautics).
        .. Rows("air", "en", "air", "airline", "airlines", "airways", "aviation", "aeronautics", "aeronautical"),
        .. Rows("air", "ja", "航空"), .. Rows("air", "zh", "航空"), .. Rows("air", "ko", "항공"),
        .. Rows("air", "ko-Latn", "hanggong"), .. Rows("air", "zh-Latn", "hangkong"),
        .. Rows("aerospace", "en", "aerospace", "astronautics", "astronautical"), .. Rows("aerospace", "zh", "航天"),
        .. Rows("aerospace", "ja", "航空宇宙"), .. Rows("aerospace", "ko", "항공우주"), .. Rows("aerospace", "zh-Latn", "hangtian"),

        .. Rows("technology", "en", "technology", "technologies", "technological"), .. Rows("technology", "de", "technologie"),
        .. Rows("technology", "ja", "技術"), .. Rows("technology", "zh-Hant", "技術", "科技"), .. Rows("technology", "zh-Hans", "技术", "科技"),
        .. Rows("technology", "ko", "기술"), .. Rows("technology", "ja-Latn", "gijutsu"),
        .. Rows("technology", "ko-Latn", "gisul", "kisul"), .. Rows("technology", "zh-Latn", "jishu", "keji"),

        .. Rows("industry", "en", "industry", "industries", "industrial"), .. Rows("industry", "ja", "工業", "産業"),
        .. Rows("industry", "zh-Hans", "工业"), .. Rows("industry", "zh-Hant", "工業"), .. Rows("industry", "ko", "공업", "산업"),
        .. Rows("industry", "ja-Latn", "kogyo", "kougyou", "sangyo"), .. Rows("industry", "ko-Latn", "gongeop", "kongop", "saneop", "sanop"),
        .. Rows("industry", "zh-Latn", "gongye"),

        .. Rows("electronics", "en", "electronics", "electronic"), .. Rows("electronics", "ja", "電子"),
        .. Rows("electronics", "zh-Hant", "電子"), .. Rows("electronics", "zh-Hans", "电子"), .. Rows("electronics", "ko", "전자"),
        .. Rows("electronics", "ja-Latn", "denshi"), .. Rows("electronics", "ko-Latn", "jeonja", "chonja"),
        .. Rows("electronics", "zh-Latn", "dianzi"),

        .. Rows("group", "en", "group"), .. Rows("group", "ja", "集団"), .. Rows("group", "zh-Hans", "集团"),
        .. Rows("group", "zh-Hant", "集團"), .. Rows("group", "ko", "그룹", "집단"), .. Rows("group", "zh-Latn", "jituan"),

        .. Rows("institute", "en", "institute"), .. Rows("institute", "de", "institut"), .. Rows("institute", "fr", "institut"),
        .. Rows("institute", "es", "instituto"), .. Rows("institute", "it", "istituto"), .. Rows("institute", "ja", "研究所"),
        .. Rows("institute", "zh", "研究所"), .. Rows("institute", "ko", "연구소"), .. Rows("institute", "ja-Latn", "kenkyusho"),
        .. Rows("institute", "ko-Latn", "yeonguso", "yonguso"), .. Rows("institute", "zh-Latn", "yanjiusuo"),
    ];

    /// <summary>Every concept, the tokens that have the role <see cref="TokenRole.OrganisationWord"/>.</summary>
    public static readonly FrozenSet<string> Concepts = Table.Select(row => row.Concept).ToFrozenSet(StringComparer.Ordinal);

    // Latin words by their token; Han and Hangul words longest first, as segmentation takes the longest match.
    private static readonly FrozenDictionary<string, string> LatinWords = Table
        .Where(row => IsLatin(row.Word))
        .DistinctBy(row => row.Word, StringComparer.Ordinal)
        .ToFrozenDictionary(row => row.Word, row => row.Concept, StringComparer.Ordinal);

    private static readonly (string Word, string Concept)[] ScriptWords = [.. Table
        .Where(row => !IsLatin(row.Word))
        .DistinctBy(row => row.Word, StringComparer.Ordinal)
        .OrderByDescending(row => row.Word.Length)
        .Select(row => (row.Word, row.Concept))];

    private static readonly FrozenSet<char> ScriptFirstCharacters = ScriptWords.Select(w => w.Word[0]).ToFrozenSet();

    /// <summary>The concept a Latin token stands for ("airlines" → "air"), or null for any other word.</summary>
    /// <param name="token">A normalised lower-case token.</param>
    public static string? ConceptOf(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return LatinWords.GetValueOrDefault(token);
    }

    /// <summary>
    /// Han and Hangul text with the table's words segmented out and written as their concepts, the longest word first
    /// at each position ("華為技術" → " huawei technology "). The rest of a run of Han or Hangul that held such a word is
    /// the organisation's own name and is transliterated as one word, as romanised names write it (華為 → "huawei",
    /// 대성 → "daeseong", 北京 → "beijing"); runs without a table word are left as they are (a person's name stays
    /// one syllable per token). Text without such a word comes back unchanged.
    /// </summary>
    /// <param name="text">Folded, lower-case text after the script legal forms were replaced.</param>
    public static string SegmentScript(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!ContainsScriptWord(text))
        {
            return text;
        }

        var result = new StringBuilder(text.Length * 3);
        int i = 0;
        while (i < text.Length)
        {
            if (!IsHanOrHangul(text[i]))
            {
                result.Append(text[i++]);
                continue;
            }

            int end = i;
            while (end < text.Length && IsHanOrHangul(text[end]))
            {
                end++;
            }

            AppendRun(result, text.AsSpan(i, end - i));
            i = end;
        }

        return result.ToString();
    }

    private static void AppendRun(StringBuilder result, ReadOnlySpan<char> run)
    {
        var pieces = new List<(bool IsConcept, string Text)>();
        int pending = 0;
        int i = 0;
        while (i < run.Length)
        {
            string? concept = null;
            int length = 0;
            if (ScriptFirstCharacters.Contains(run[i]))
            {
                foreach ((string word, string c) in ScriptWords)
                {
                    if (run[i..].StartsWith(word, StringComparison.Ordinal))
                    {
                        (concept, length) = (c, word.Length);
                        break;
                    }
                }
            }

            if (concept is null)
            {
                i++;
                continue;
            }

            if (i > pending)
            {
                pieces.Add((false, run[pending..i].ToString()));
            }

            pieces.Add((true, concept));
            i += length;
            pending = i;
        }

        if (pending < run.Length)
        {
            pieces.Add((false, run[pending..].ToString()));
        }

        if (!pieces.Exists(p => p.IsConcept))
        {
            result.Append(run);
            return;
        }

        foreach ((bool isConcept, string piece) in pieces)
        {
            result.Append(' ').Append(isConcept ? piece : piece.Transliterate().ToLowerInvariant()).Append(' ');
        }
    }

    private static bool ContainsScriptWord(string text)
    {
        foreach (char c in text)
        {
            if (ScriptFirstCharacters.Contains(c))
            {
                foreach ((string word, _) in ScriptWords)
                {
                    if (text.Contains(word, StringComparison.Ordinal))
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        return false;
    }

    private static bool IsHanOrHangul(char c) =>
        c is (>= '\u4E00' and <= '\u9FFF') or (>= '\u3400' and <= '\u4DBF') or (>= '\uF900' and <= '\uFAFF') or (>= '\uAC00' and <= '\uD7AF');

    private static bool IsLatin(string word) => word.All(char.IsAsciiLetter);

    private static IEnumerable<Row> Rows(string concept, string language, params string[] words) =>
        words.Select(word => new Row(concept, language, word));
}
