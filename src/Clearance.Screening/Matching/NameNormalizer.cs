using System.Diagnostics;
using System.Globalization;
using System.Text;
using AnyAscii;

namespace Clearance.Screening.Matching;

/// <summary>
/// Turns a name in any script into <see cref="NormalizedName"/>: Unicode NFKC, case folding, script
/// legal forms replaced, transliteration to Latin with AnyAscii (Han and Hangul one syllable per
/// token), diacritics and punctuation removed, dotted abbreviations joined ("A.B.C." → "abc"),
/// "&amp;" read as "and", legal-form phrases replaced by their class. Symbols and emoji are dropped
/// first: transliterated they would become words ("😀" → "grinning", "™" → "tm") that no listed name has.
/// </summary>
public static class NameNormalizer
{
    /// <summary>Names longer than this many tokens are cut: list names are short, and the scorer's work grows with the square.</summary>
    public const int MaxTokens = 24;

    /// <summary>Normalises one name.</summary>
    /// <param name="name">The name as printed.</param>
    public static NormalizedName Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string folded = Fold(name);
        return FromLatin(name, ToLatin(folded), OriginalScriptKey(folded));
    }

    /// <summary>The most readings <see cref="Readings"/> gives of one name.</summary>
    public const int MaxReadings = 12;

    /// <summary>
    /// The other readings of a name written (partly) in Han characters, kana or Hangul, each normalised: its Han characters
    /// read in Korean, Mandarin and Japanese on-readings (<see cref="HanReadings"/>; only the language of the party's country
    /// when that is Korea, China or Japan), its kana spelled as Japanese spells foreign names (<see cref="KanaPhonetics"/>),
    /// its Hangul words read as Korean transcribes foreign names (<see cref="HangulPhonetics"/>).
    /// At most <see cref="MaxReadings"/>, without the name as <see cref="Normalize"/> reads it; empty for other names.
    /// Every reading keeps the original-script key of the name as written, so an exact match in the script still scores
    /// 1.0 and a different name in the same script is still told apart in it (高石 / 高市).
    /// </summary>
    /// <param name="name">The name as printed.</param>
    /// <param name="country">The party's country (ISO alpha-2), or null.</param>
    public static IReadOnlyList<NormalizedName> Readings(string name, string? country = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        bool han = false, kana = false;
        foreach (char c in name)
        {
            han |= HanReadings.IsHan(c);
            kana |= KanaPhonetics.IsKana(c);
        }

        bool hangul = HangulPhonetics.HasHangul(name);
        if (!han && !kana && !hangul)
        {
            return [];
        }

        string folded = Fold(name);
        string? originalKey = OriginalScriptKey(folded);
        string text = WithScriptLegalForms(folded);
        var hanSpellings = new List<string> { text };
        if (han)
        {
            foreach (HanLanguage language in LegalFormLanguage(text) ?? LanguagesOf(country, kana))
            {
                hanSpellings.AddRange(HanReadings.Spellings(text, language));
            }
        }

        if (hangul)
        {
            // A foreign name in Hangul (블라디미르 푸틴), read by the loanword rules rather than syllable by syllable.
            hanSpellings.Add(HangulPhonetics.Spell(text, labial: false));
            hanSpellings.Add(HangulPhonetics.Spell(text, labial: true));
        }

        var readings = new List<NormalizedName>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { string.Join(' ', Normalize(name).Tokens) };
        foreach (string spelling in hanSpellings)
        {
            IEnumerable<string> spelled = kana ? KanaPhonetics.Readings.Select(r => KanaPhonetics.Spell(spelling, r)) : [spelling];
            foreach (string reading in spelled)
            {
                NormalizedName normalized = FromLatin(name, ToLatin(reading), originalKey);
                if (readings.Count < MaxReadings && normalized.Tokens.Length > 0 && seen.Add(string.Join(' ', normalized.Tokens)))
                {
                    readings.Add(normalized);
                }
            }
        }

        return readings;
    }

    /// <summary>
    /// The languages whose Han readings a party of this country writes its name in: its own for Korea, China and Japan,
    /// else all; Japanese first when the name also has kana (only Japanese mixes kanji and kana), so the bound keeps it.
    /// </summary>
    private static HanLanguage[] LanguagesOf(string? country, bool kana) => country?.ToUpperInvariant() switch
    {
        "KR" or "KP" => [HanLanguage.Korean],
        "CN" or "TW" or "HK" or "MO" or "SG" => [HanLanguage.Mandarin],
        "JP" => [HanLanguage.Japanese],
        _ when kana => [HanLanguage.Japanese, HanLanguage.Korean, HanLanguage.Mandarin],
        _ => [HanLanguage.Korean, HanLanguage.Mandarin, HanLanguage.Japanese],
    };

    /// <summary>
    /// The one language a Han legal form in the name belongs to (株式会社 is Japanese, 有限公司 Chinese, 주식회사 Korean),
    /// read from its Latin replacement; null when the name has none. A Japanese company's name is not read in Korean:
    /// 株式会社東芝 read as "dong ji" would meet a vessel JI SONG.
    /// </summary>
    private static HanLanguage[]? LegalFormLanguage(string text) =>
        text.Contains(" kaisha ", StringComparison.Ordinal) ? [HanLanguage.Japanese]
        : text.Contains(" gongsi ", StringComparison.Ordinal) ? [HanLanguage.Mandarin]
        : text.Contains("hoesa ", StringComparison.Ordinal) ? [HanLanguage.Korean]
        : null;

    private static string Fold(string name) =>
        CompatibilityFold(WithoutSymbols(name).Normalize(NormalizationForm.FormKC)).ToLowerInvariant();

    /// <summary>Tokens, roles and keys of a name already transliterated to Latin letters.</summary>
    private static NormalizedName FromLatin(string name, string latin, string? originalKey)
    {
        List<string> surface = ReadNumbers(Tokenize(latin));

        var tokens = new List<string>(surface.Count);
        var joined = new StringBuilder(latin.Length);
        for (int i = 0; i < surface.Count && tokens.Count < MaxTokens;)
        {
            int consumed = MatchLegalForm(surface, i, out string? classToken);
            if (consumed > 0)
            {
                tokens.Add(classToken!);
                for (int k = i; k < i + consumed; k++)
                {
                    joined.Append(surface[k]);
                }

                i += consumed;
                continue;
            }

            // "airlines" and "航空" (read as "air" above) are one concept: each is written as it.
            string token = OrganisationWords.ConceptOf(surface[i]) ?? surface[i];
            TokenRole role = NameVocabulary.RoleOf(token);
            if (role is not TokenRole.Title)
            {
                joined.Append(token);
            }

            tokens.Add(token);
            i++;
        }

        string[] tokenArray = [.. tokens];
        var roles = new TokenRole[tokenArray.Length];
        bool substance = false;
        for (int i = 0; i < tokenArray.Length; i++)
        {
            roles[i] = NameVocabulary.RoleOf(tokenArray[i]);
            substance |= roles[i] is TokenRole.Name or TokenRole.Number;
        }

        if (!substance)
        {
            // A name made only of small words ("AT&T", "The Who") or organisation words ("Air Bank") is its own substance.
            for (int i = 0; i < roles.Length; i++)
            {
                if (roles[i] is TokenRole.StopWord or TokenRole.Title or TokenRole.Particle or TokenRole.Initial or TokenRole.OrganisationWord)
                {
                    roles[i] = TokenRole.Name;
                }
            }
        }

        var phonetic = new string?[tokenArray.Length];
        bool abjad = IsAbjad(originalKey);
        for (int i = 0; i < tokenArray.Length; i++)
        {
            phonetic[i] = roles[i] != TokenRole.Name ? null
                : abjad ? PhoneticKey(WithoutMaterLectionis(tokenArray[i]))
                : SyllableKey(tokenArray[i]) ?? PhoneticKey(tokenArray[i]);
        }

        return new NormalizedName(name, tokenArray, roles, phonetic, joined.ToString(), originalKey);
    }

    /// <summary>
    /// A consonant skeleton that common transliteration variants share: digraphs simplified
    /// (ph→f, kh→h, x→ks, c/q→k, w→v, z→s, y→i), a leading vowel kept as "a", other vowels dropped,
    /// doubled letters collapsed. Null when shorter than three characters, too ambiguous to use.
    /// </summary>
    /// <param name="token">A lower-case ASCII name word.</param>
    public static string? PhoneticKey(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        Span<char> buffer = stackalloc char[Math.Min(2 * token.Length, 128)];
        int length = 0;
        for (int i = 0; i < token.Length && length < buffer.Length - 2; i++)
        {
            char c = token[i];
            char next = i + 1 < token.Length ? token[i + 1] : '\0';
            char mapped;
            if (next == 'h' && c is 'p' or 'k' or 'g' or 'd' or 't' or 'z' or 's' or 'c')
            {
                mapped = c switch { 'p' => 'f', 'z' => 'j', 'c' => 'k', _ => c };
                i++;
            }
            else
            {
                mapped = c switch
                {
                    'c' or 'q' => 'k',
                    'w' => 'v',
                    'z' => 's',
                    'y' => 'i',
                    _ => c,
                };
            }

            if (mapped == 'x')
            {
                buffer[length++] = 'k';
                mapped = 's';
            }

            bool vowel = mapped is 'a' or 'e' or 'i' or 'o' or 'u';
            if (vowel)
            {
                // Vowels are dropped, a leading one too: Arabic and Hebrew write none, and transliterated
                // from them a name keeps its consonants only (أحمد → "hmd" for Ahmed).
                continue;
            }

            if (length > 0 && buffer[length - 1] == mapped)
            {
                continue;
            }

            buffer[length++] = mapped;
        }

        return length >= 3 ? new string(buffer[..length]) : null;
    }

    /// <summary>True for a name written in an abjad (Arabic or Hebrew script), whose vowels are not written.</summary>
    /// <param name="originalScriptKey">The name's original-script key, or null.</param>
    public static bool IsAbjad(string? originalScriptKey) =>
        originalScriptKey is { Length: > 0 } key && key[0] is (>= '\u0590' and <= '\u06FF') or (>= '\u0750' and <= '\u077F');

    /// <summary>Arabic writes long vowels with و and ي; transliterated they are w and y, and a Latin spelling has vowels there.</summary>
    private static string WithoutMaterLectionis(string token) =>
        token.Length > 1 && token.IndexOf('w', 1) > 0 ? token[0] + token[1..].Replace("w", string.Empty, StringComparison.Ordinal) : token;

    /// <summary>
    /// For a word that is one romanised East Asian syllable (Kim, Jeong, Zhang, Park), a key its
    /// romanisations share, prefixed with '#': initial consonants voiced or not (g/k, b/p, d/t, j/ch/zh),
    /// Korean vowel digraphs (eo → o, eu → u, oo → u, ee → i), ung = ong, a silent r (Park = Pak), and
    /// l or r dropped before i (Lee = Yi = Ri = I). Kim / Gim, Jong / Jeong / Chung, Sung / Seong share a key.
    /// Null for any other word.
    /// </summary>
    /// <param name="token">A lower-case ASCII name word.</param>
    public static string? SyllableKey(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.Length is < 2 or > 6)
        {
            return null;
        }

        ReadOnlySpan<char> t = token;
        string initial;
        int i;
        if (t.StartsWith("tch") || t.StartsWith("jj")) { initial = "j"; i = t[0] == 't' ? 3 : 2; }
        else if (t.StartsWith("ch") || t.StartsWith("zh") || t.StartsWith("ts") || t.StartsWith("tz")) { initial = "j"; i = 2; }
        else if (t.StartsWith("kk") || t.StartsWith("kh")) { initial = "k"; i = 2; }
        else if (t.StartsWith("tt") || t.StartsWith("th")) { initial = "t"; i = 2; }
        else if (t.StartsWith("pp") || t.StartsWith("ph")) { initial = "p"; i = 2; }
        else if (t.StartsWith("ss") || t.StartsWith("sh") || t.StartsWith("hs")) { initial = "s"; i = 2; }
        else if (t.StartsWith("rh")) { initial = "l"; i = 2; }
        else
        {
            i = 1;
            initial = t[0] switch
            {
                'j' or 'c' or 'q' or 'z' => "j",
                'g' or 'k' => "k",
                'd' or 't' => "t",
                'b' or 'p' => "p",
                'x' or 's' => "s",
                'r' or 'l' => "l",
                'h' or 'm' or 'n' or 'f' => t[0].ToString(),
                _ => string.Empty,
            };
            if (initial.Length == 0)
            {
                i = 0;
            }
        }

        int vowelStart = i;
        while (i < t.Length && t[i] is 'a' or 'e' or 'i' or 'o' or 'u' or 'w' or 'y')
        {
            i++;
        }

        if (i == vowelStart || i - vowelStart > 3)
        {
            return null;
        }

        ReadOnlySpan<char> final = t[i..];
        string coda = final switch
        {
            "" => string.Empty,
            "n" or "m" or "l" or "p" or "t" => final.ToString(),
            "ng" => "ng",
            "k" or "g" or "rk" => "k",
            "r" => string.Empty,
            _ => "?",
        };
        if (coda == "?")
        {
            return null;
        }

        string vowel = t[vowelStart..i].ToString()
            .Replace("eo", "o", StringComparison.Ordinal).Replace("eu", "u", StringComparison.Ordinal)
            .Replace("oo", "u", StringComparison.Ordinal).Replace("ee", "i", StringComparison.Ordinal);
        if (vowel == "u" && coda == "ng")
        {
            vowel = "o";
        }

        if (initial == "l" && vowel[0] is 'i' or 'y')
        {
            initial = string.Empty;
        }

        if (vowel.Length > 1 && vowel[0] == 'y' && vowel[1] == 'i')
        {
            vowel = vowel[1..];
        }

        return "#" + initial + vowel + coda;
    }

    /// <summary>
    /// The name without symbols, emoji and other characters that are neither letters, digits, marks, spaces nor
    /// punctuation: a symbol (categories So, Sm, Sc, Sk), a private-use, unassigned or lone surrogate code point
    /// becomes a space, so it still separates words but never turns into one; invisible format characters
    /// (zero-width joiner, soft hyphen, bidi marks, emoji tags), variation selectors and enclosing marks
    /// vanish, so they never split a word; an emoji keycap ("1️⃣") goes with its base. ASCII is left to the
    /// tokenizer, which already reads its symbols as separators. Letters in a box (circled Latin letters, the
    /// enclosed CJK and squared CJK blocks: ㈱, ㍿) are kept: compatibility folding spells them out as the
    /// letters they are.
    /// </summary>
    /// <param name="name">A name as printed.</param>
    public static string WithoutSymbols(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (System.Text.Ascii.IsValid(name))
        {
            return name;
        }

        var kept = new StringBuilder(name.Length);
        foreach (Rune rune in name.EnumerateRunes())
        {
            switch (SymbolTreatment(rune))
            {
                case Treatment.Keep:
                    kept.Append(rune.ToString());
                    break;
                case Treatment.Separate:
                    kept.Append(' ');
                    break;
                case Treatment.DropWithBase:
                    // A keycap (U+20E3) encloses the digit, '#' or '*' before it: the pair is one emoji.
                    if (kept.Length > 0 && kept[^1] is (>= '0' and <= '9') or '#' or '*')
                    {
                        kept[^1] = ' ';
                    }

                    break;
                default:
                    break;
            }
        }

        return kept.ToString();
    }

    /// <summary>The most marks inside words whose every combination is spelled out by <see cref="SpellingsWithoutMarksInsideWords"/>.</summary>
    public const int MaxMarkCombinations = 3;

    /// <summary>
    /// The other spellings of a name with punctuation, symbols or emoji inside its words (a run of them with a letter or
    /// digit on both sides, no space): each such run removed or kept, in every combination when there are at most
    /// <see cref="MaxMarkCombinations"/> runs, else all of them removed; "KUN😀LUN", "KUN-LUN", "KUN™LUN" → "KUNLUN";
    /// "AL-SH😀AYKH" → "AL-SHAYKH", "ALSH😀AYKH"... (not the name itself; empty when it has no such run). Read as a
    /// separator (<see cref="WithoutSymbols"/>, the tokenizer) a mark splits a word in two, which hides a listed name
    /// from screening, while a name's own hyphen may be needed as one ("AL-SHAYKH"): the screening index scores these
    /// spellings as well as the name as written. An emoji keycap ("1️⃣") counts as a mark with its digit.
    /// </summary>
    /// <param name="name">A name as printed.</param>
    public static IReadOnlyList<string> SpellingsWithoutMarksInsideWords(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (System.Text.Ascii.IsValid(name) && !HasAsciiMarkInsideWord(name))
        {
            // Most names (every one of a recheck's thousands of parties, as a rule): nothing to spell, and nothing allocated.
            return [];
        }

        return SpellingsByRunes(name);
    }

    /// <summary><see cref="SpellingsWithoutMarksInsideWords"/> read rune by rune, as every name was before the ASCII test (the reference it is tested against).</summary>
    internal static IReadOnlyList<string> SpellingsByRunes(string name)
    {
        Rune[] runes = [.. name.EnumerateRunes()];
        var kinds = new RuneKind[runes.Length];
        for (int i = 0; i < runes.Length; i++)
        {
            kinds[i] = KindOf(runes[i]);
            if (runes[i].Value == 0x20E3)
            {
                // The keycap's digit, '#' or '*' comes before it, perhaps with a variation selector between.
                int b = i - 1;
                while (b >= 0 && kinds[b] == RuneKind.Mark && runes[b].Value is >= 0xFE00 and <= 0xFE0F)
                {
                    b--;
                }

                if (b >= 0 && runes[b].Value is (>= '0' and <= '9') or '#' or '*')
                {
                    kinds[b] = RuneKind.Mark;
                }
            }
        }

        var runs = new List<(int Start, int End)>();
        for (int i = 0; i < runes.Length;)
        {
            int end = i;
            while (end < runes.Length && kinds[end] == RuneKind.Mark)
            {
                end++;
            }

            if (end > i && i > 0 && kinds[i - 1] == RuneKind.Word && end < runes.Length && kinds[end] == RuneKind.Word)
            {
                runs.Add((i, end));
            }

            i = Math.Max(end, i + 1);
        }

        if (runs.Count == 0)
        {
            return [];
        }

        int all = (1 << Math.Min(runs.Count, 30)) - 1;
        IEnumerable<int> removals = runs.Count <= MaxMarkCombinations ? Enumerable.Range(1, all) : [all];
        var spellings = new List<string>();
        foreach (int removed in removals)
        {
            var kept = new StringBuilder(name.Length);
            int run = 0;
            for (int i = 0; i < runes.Length; i++)
            {
                while (run < runs.Count && runs[run].End <= i)
                {
                    run++;
                }

                bool inRemovedRun = run < runs.Count && i >= runs[run].Start && (run >= 30 || (removed & (1 << run)) != 0);
                if (!inRemovedRun)
                {
                    kept.Append(runes[i].ToString());
                }
            }

            spellings.Add(kept.ToString());
        }

        return spellings;
    }

    /// <summary>
    /// Whether an ASCII name has a run of marks with a letter or digit on both sides: what the loop over runes in
    /// <see cref="SpellingsWithoutMarksInsideWords"/> looks for, read from the characters as they are (an ASCII character is
    /// one rune, and the keycap that makes a digit a mark is not ASCII).
    /// </summary>
    private static bool HasAsciiMarkInsideWord(string name)
    {
        for (int i = 1; i < name.Length; i++)
        {
            if (KindOf(new Rune(name[i])) != RuneKind.Mark || KindOf(new Rune(name[i - 1])) != RuneKind.Word)
            {
                continue;
            }

            int end = i;
            while (end < name.Length && KindOf(new Rune(name[end])) == RuneKind.Mark)
            {
                end++;
            }

            if (end < name.Length && KindOf(new Rune(name[end])) == RuneKind.Word)
            {
                return true;
            }

            i = end;
        }

        return false;
    }

    private enum RuneKind
    {
        Word,
        Space,
        Mark,
    }

    private static RuneKind KindOf(Rune rune)
    {
        if (Rune.IsWhiteSpace(rune))
        {
            return RuneKind.Space;
        }

        if (Rune.IsLetterOrDigit(rune))
        {
            return RuneKind.Word;
        }

        // Combining accents belong to their letter; variation selectors (also non-spacing marks) to their emoji.
        bool variationSelector = rune.Value is (>= 0xFE00 and <= 0xFE0F) or (>= 0xE0100 and <= 0xE01EF);
        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark && !variationSelector
            ? RuneKind.Word
            : RuneKind.Mark;
    }

    private enum Treatment
    {
        Keep,
        Separate,
        Vanish,
        DropWithBase,
    }

    private static Treatment SymbolTreatment(Rune rune)
    {
        int value = rune.Value;
        if (value < 0x80)
        {
            return Treatment.Keep;
        }

        if (value == 0x20E3)
        {
            return Treatment.DropWithBase;
        }

        if (value is (>= 0xFE00 and <= 0xFE0F) or (>= 0xE0100 and <= 0xE01EF))
        {
            return Treatment.Vanish;
        }

        bool boxedLetters = value is (>= 0x2460 and <= 0x24FF) or (>= 0x3200 and <= 0x33FF);
        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.OtherSymbol or UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol
                or UnicodeCategory.ModifierSymbol when !boxedLetters => Treatment.Separate,
            UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.Surrogate => Treatment.Separate,
            UnicodeCategory.Format or UnicodeCategory.EnclosingMark => Treatment.Vanish,
            _ => Treatment.Keep,
        };
    }

    /// <summary>
    /// The compatibility mappings screening depends on, applied whether or not the runtime has ICU:
    /// under invariant globalization <see cref="string.Normalize(NormalizationForm)"/> leaves non-ASCII text
    /// unchanged. Full-width ASCII and the ideographic space become ASCII, parenthesised and squared CJK
    /// legal-form signs (㈱, ㈲, ㍿) are spelled out; AnyAscii folds the rest (ligatures, circled letters).
    /// </summary>
    private static string CompatibilityFold(string text)
    {
        bool needed = false;
        foreach (char c in text)
        {
            if (c is '\u3000' or (>= '\uFF01' and <= '\uFF5E') or '\u3231' or '\u3232' or '\u337F' or '\u3200' or '\u321C')
            {
                needed = true;
                break;
            }
        }

        if (!needed)
        {
            return text;
        }

        var folded = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            switch (c)
            {
                case '\u3000':
                    folded.Append(' ');
                    break;
                case >= '\uFF01' and <= '\uFF5E':
                    folded.Append((char)(c - 0xFEE0));
                    break;
                case '\u3231':
                    folded.Append("(株)");
                    break;
                case '\u3232':
                    folded.Append("(有)");
                    break;
                case '\u337F':
                    folded.Append("株式会社");
                    break;
                case '\u321C':
                    folded.Append("(주)");
                    break;
                default:
                    folded.Append(c);
                    break;
            }
        }

        return folded.ToString();
    }

    private static string? OriginalScriptKey(string folded)
    {
        bool nonLatin = false;
        foreach (char c in folded)
        {
            if (c > '\u024F' && char.IsLetter(c))
            {
                nonLatin = true;
                break;
            }
        }

        if (!nonLatin)
        {
            return null;
        }

        var key = new StringBuilder(folded.Length);
        foreach (char c in folded)
        {
            if (char.IsLetterOrDigit(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark)
            {
                // Simplified and traditional forms of a Han character are one character for matching (華為 = 华为).
                key.Append(HanReadings.Fold(c));
            }
        }

        return key.Length > 0 ? key.ToString() : null;
    }

    private static string ToLatin(string folded)
    {
        bool ascii = true;
        foreach (char c in folded)
        {
            if (c > '\u007F')
            {
                ascii = false;
                break;
            }
        }

        if (ascii)
        {
            return folded;
        }

        string text = WithScriptLegalForms(folded);

        // Han and Hangul: one syllable per character, so each becomes its own token ("김정은" → "gim jeong eun").
        var spaced = new StringBuilder(text.Length * 2);
        foreach (char c in text)
        {
            if (IsSyllabicIdeograph(c))
            {
                spaced.Append(' ').Append(c).Append(' ');
            }
            else
            {
                spaced.Append(c);
            }
        }

        return spaced.ToString().Transliterate().ToLowerInvariant();
    }

    /// <summary>
    /// The text with legal forms written in Han or Hangul replaced by their Latin spelling and the organisation words
    /// segmented out (華為技術 → " huawei technology "), before any reading of its characters: the readings would
    /// otherwise spell 技術 syllable by syllable where the table translates it.
    /// </summary>
    private static string WithScriptLegalForms(string text)
    {
        foreach ((string form, string replacement) in NameVocabulary.ScriptLegalForms)
        {
            if (text.Contains(form, StringComparison.Ordinal))
            {
                text = text.Replace(form, replacement, StringComparison.Ordinal);
            }
        }

        return OrganisationWords.SegmentScript(text);
    }

    private static bool IsSyllabicIdeograph(char c) =>
        c is (>= '\u4E00' and <= '\u9FFF') or (>= '\u3400' and <= '\u4DBF') or (>= '\uF900' and <= '\uFAFF')
            or (>= '\uAC00' and <= '\uD7AF');

    private static List<string> Tokenize(string latin)
    {
        var tokens = new List<string>(8);
        var current = new StringBuilder(16);
        int i = 0;
        while (i < latin.Length)
        {
            char c = latin[i];
            if (char.IsAsciiLetterOrDigit(c))
            {
                if (current.Length == 0 && TryReadDottedAbbreviation(latin, ref i, current))
                {
                    continue;
                }

                current.Append(c);
                i++;
                continue;
            }

            if (c is '\'' or '`' or '\u2019' or '\u02BC')
            {
                i++;
                continue;
            }

            Flush(tokens, current);
            if (c == '&')
            {
                tokens.Add("and");
            }

            i++;
        }

        Flush(tokens, current);
        return tokens;
    }

    /// <summary>
    /// Number words, ordinals ("1st", "first") and Roman numerals after another word become digits, and a
    /// tens word followed by a unit word one number ("forty four" → "44"), so that spelled and written
    /// numbers match.
    /// </summary>
    private static List<string> ReadNumbers(List<string> tokens)
    {
        for (int i = 0; i < tokens.Count; i++)
        {
            string token = tokens[i];
            int value;
            if (NameVocabulary.NumberWords.TryGetValue(token, out value)
                || (i > 0 && NameVocabulary.RomanNumerals.TryGetValue(token, out value)))
            {
                if (value >= 20 && value % 10 == 0 && i + 1 < tokens.Count
                    && (NameVocabulary.NumberWords.TryGetValue(tokens[i + 1], out int unit) || int.TryParse(tokens[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out unit))
                    && unit is > 0 and < 10)
                {
                    value += unit;
                    tokens.RemoveAt(i + 1);
                }

                tokens[i] = value.ToString(CultureInfo.InvariantCulture);
            }
            else if (token.Length >= 3 && char.IsAsciiDigit(token[0]) && IsOrdinalSuffix(token.AsSpan().TrimStart("0123456789")))
            {
                tokens[i] = token.TrimEnd("stndrh".ToCharArray());
            }
        }

        return tokens;

        static bool IsOrdinalSuffix(ReadOnlySpan<char> suffix) =>
            suffix is "st" or "nd" or "rd" or "th";
    }

    /// <summary>
    /// Reads "a.b.c." (two or more single letters each followed by a dot) as one token "abc" into the empty
    /// <paramref name="current"/>, which is left empty when the text there is not one. The letters are collected in
    /// <paramref name="current"/> itself: this is tried at the start of every token of every name screened, and a
    /// builder of its own cost each token two allocations (a recheck's 5,000 parties: about 2 MB).
    /// </summary>
    private static bool TryReadDottedAbbreviation(string text, ref int index, StringBuilder current)
    {
        Debug.Assert(current.Length == 0, "called at the start of a token");
        int i = index;
        int letters = 0;
        while (i + 1 < text.Length && char.IsAsciiLetter(text[i]) && text[i + 1] == '.'
               && (i == index || !char.IsAsciiLetterOrDigit(text[i - 1]) || text[i - 1] == '.'))
        {
            current.Append(text[i]);
            letters++;
            i += 2;
            if (i < text.Length && char.IsAsciiLetter(text[i])
                && (i + 1 >= text.Length || (!char.IsAsciiLetterOrDigit(text[i + 1]) && text[i + 1] != '.')))
            {
                // A final letter without its dot: "l.l.c".
                current.Append(text[i]);
                letters++;
                i++;
                break;
            }
        }

        if (letters < 2 || (i < text.Length && char.IsAsciiLetterOrDigit(text[i])))
        {
            current.Clear();
            return false;
        }

        index = i;
        return true;
    }

    private static void Flush(List<string> tokens, StringBuilder current)
    {
        if (current.Length > 0)
        {
            tokens.Add(current.ToString());
            current.Clear();
        }
    }

    private static int MatchLegalForm(List<string> surface, int start, out string? classToken)
    {
        classToken = null;
        if (!NameVocabulary.LegalFormsByFirstToken.TryGetValue(surface[start], out var phrases))
        {
            return 0;
        }

        foreach (NameVocabulary.LegalForm form in phrases)
        {
            (string[] phrase, string cls) = (form.Tokens, form.ClassToken);
            if (start + phrase.Length > surface.Count)
            {
                continue;
            }

            bool all = true;
            for (int k = 1; k < phrase.Length; k++)
            {
                if (!string.Equals(surface[start + k], phrase[k], StringComparison.Ordinal))
                {
                    all = false;
                    break;
                }
            }

            if (all)
            {
                classToken = cls;
                return phrase.Length;
            }
        }

        return 0;
    }
}
