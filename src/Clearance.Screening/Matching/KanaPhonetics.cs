using System.Text;

namespace Clearance.Screening.Matching;

/// <summary>
/// Reads names written in katakana or hiragana, as Japanese writes foreign names (キム・ジョンウン, ズベルバンク,
/// ロスオボロンエクスポルト), into Latin spellings that meet the Latin spellings of the same name. A kana is a syllable
/// (a consonant and a vowel, or a vowel, or ン), so Japanese adds a vowel after every consonant the source language
/// closes a syllable with: Kim is キム "kimu", bank is バンク "banku", Rosoboroneksport ends in ルト "ruto". Those
/// vowels are predictable (u after most consonants, o after t and d), and so are the other choices Japanese makes:
/// ン for n, m and ng; ラ行 for both r and l; フ for the devoiced final v of Russian -ov/-ev; ヴ for v. Each reading
/// below resolves those choices one way; the screening index screens every reading and keeps each entry's best score
/// (<see cref="NameNormalizer.Readings"/>), and the scorer's own variant rules (syllable keys, consonant skeletons,
/// edit distance) absorb what is left. It transcribes sounds by rule; no name is listed anywhere.
/// </summary>
public static class KanaPhonetics
{
    /// <summary>How a reading resolves the choices a kana spelling leaves open.</summary>
    [Flags]
    public enum Reading
    {
        /// <summary>Every kana spelled with its vowel (Hepburn): キム → "kimu"; ン before m, b, p as m.</summary>
        Full = 0,

        /// <summary>The vowel Japanese adds after a closing consonant dropped (before another consonant or at a word's end): キム → "kim", バンク → "bank", ムハンマド → "muhanmad"; a final -ofu/-efu as -ov/-ev.</summary>
        Closed = 1,

        /// <summary>With <see cref="Closed"/>: ン inside a word as ng closing a syllable (Korean and Chinese finals): ジョンウン → "jong un".</summary>
        Velar = 2,

        /// <summary>The liquid (ラ行) as l: Arabic and Korean names (アブドゥッラー → "abdulla", チョル → "chol").</summary>
        Lateral = 4,

        /// <summary>
        /// Russian sounds as Japanese writes them: в with バ行 as often as with ヴ (ラブロフ → "lavrov"), ж with ジ
        /// (プリゴジン → "prigozhin"), ти with チ (プーチン → "putin"); в before a consonant at a word's start with ウ
        /// (ウラジーミル → "vra…"), е at a word's start with エ (エフゲニー → "yev…"), в before a voiced consonant with フ
        /// (エフゲニー → "yevg…"), the soft ль with リ before a consonant (ヴェクセリベルク → "veksel…", コヴァリチュク),
        /// a final -рг, devoiced, with ルク (ローテンベルク → "…berg", with ン kept as n before b).
        /// </summary>
        Russian = 8,

        /// <summary>With <see cref="Russian"/>: ジ and ヂ as ди rather than ж (ウラジーミル → "vradimir", ゲンナジー → "gennadi").</summary>
        RussianDe = 16,

        /// <summary>
        /// With <see cref="Lateral"/>, Arabic and Persian endings: a word's final a with the h of the feminine ending
        /// (ta marbuta) that Japanese does not write (ハニーヤ → "haniyah", Haniyeh).
        /// </summary>
        ArabicEnding = 32,

        /// <summary>
        /// With <see cref="Velar"/>, Korean vowels: a syllable's e as ae. Japanese writes ㅐ (ae), ㅔ (e) and ㅚ (oe) all
        /// with エ, and ㅐ is the one Korean names have most (해 Hae, 대 Dae, 채 Chae): チェ・リョンヘ → "chae ryong hae",
        /// one letter from Choe Ryong Hae where "che ryong he" was two words off.
        /// </summary>
        KoreanVowel = 64,
    }

    /// <summary>The readings every kana name is spelled in, in this order.</summary>
    public static IReadOnlyList<Reading> Readings { get; } =
        [Reading.Full, Reading.Closed, Reading.Closed | Reading.Velar, Reading.Closed | Reading.Lateral | Reading.ArabicEnding,
            Reading.Closed | Reading.Russian, Reading.Closed | Reading.Russian | Reading.RussianDe, Reading.Closed | Reading.Lateral | Reading.Russian,
            Reading.Closed | Reading.Velar | Reading.KoreanVowel];

    /// <summary>True for a katakana or hiragana letter, the prolonged sound mark or the small tsu.</summary>
    /// <param name="c">A UTF-16 code unit.</param>
    public static bool IsKana(char c) => c is (>= '\u3041' and <= '\u3096') or (>= '\u30A1' and <= '\u30FA') or '\u30FC';

    /// <summary>True when the text holds a kana letter.</summary>
    /// <param name="text">Any text.</param>
    public static bool HasKana(string text) => ScriptRuns.Any(text, IsKana);

    /// <summary>
    /// A Latin word with the letters kana cannot tell apart written as a kana reading writes their sound: c (but not the c
    /// of ch) and q as k, ck as k, x as ks. Kana write the sound, not the letter: ロステック reads "rostek" whether the list
    /// spells Rostec or Rostek, so the difference says nothing. The word itself when it has none of those letters.
    /// </summary>
    /// <param name="word">A lower-case ASCII name word.</param>
    public static string FoldUnwrittenLetters(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.AsSpan().IndexOfAny("cqx") < 0)
        {
            return word;
        }

        var folded = new StringBuilder(word.Length + 2);
        for (int i = 0; i < word.Length; i++)
        {
            char next = i + 1 < word.Length ? word[i + 1] : '\0';
            switch (word[i])
            {
                case 'c' when next == 'h':
                    folded.Append('c');
                    break;
                case 'c' when next == 'k':
                    break;
                case 'c' or 'q':
                    folded.Append('k');
                    break;
                case 'x':
                    folded.Append("ks");
                    break;
                default:
                    folded.Append(word[i]);
                    break;
            }
        }

        return folded.ToString();
    }

    /// <summary>
    /// The text with every run of kana spelled in Latin letters in the given reading; the middle dot (・) and the
    /// double hyphen (゠, ＝) between the words of a foreign name become spaces. Other characters are kept.
    /// </summary>
    /// <param name="text">A name.</param>
    /// <param name="reading">How to resolve the choices kana leave open.</param>
    public static string Spell(string text, Reading reading)
    {
        var morae = new List<string>();
        var lengthened = new List<int>();
        return ScriptRuns.Spell(
            text, IsKana, run => SpellWord(run, reading, morae, lengthened), c => c is '\u30FB' or '\u30A0' or '\uFF1D');
    }

    /// <summary>Spells one run of kana: morae first (digraphs with small kana joined), then the reading's choices.</summary>
    private static string SpellWord(ReadOnlySpan<char> kana, Reading reading, List<string> morae, List<int> lengthened)
    {
        morae.Clear();
        lengthened.Clear();
        bool geminate = false;
        foreach (char raw in kana)
        {
            // Hiragana are katakana 0x60 lower; one table serves both.
            char c = raw is >= '\u3041' and <= '\u3096' ? (char)(raw + 0x60) : raw;
            if (c == '\u30C3')
            {
                // Sokuon: the next consonant is doubled.
                geminate = true;
                continue;
            }

            if (c == '\u30FC')
            {
                // A long vowel: Latin spellings of foreign names write it once (or with an r Japanese does not hear).
                if (morae.Count > 0)
                {
                    lengthened.Add(morae.Count - 1);
                }

                continue;
            }

            if (SmallVowel(c) is { } small && morae.Count > 0)
            {
                morae[^1] = JoinSmall(morae[^1], small);
                continue;
            }

            string mora = Mora(c);
            if (mora.Length == 0)
            {
                continue;
            }

            if (geminate && mora[0] == 'r')
            {
                // ッ before ラ行 writes a doubled l, which Japanese words never have: Arabic's assimilated article and
                // Allah (ナスルッラーフ, アブドゥッラー), Italian -ll-.
                mora = "ll" + mora[1..];
            }
            else if (geminate && mora[0] is not ('a' or 'e' or 'i' or 'o' or 'u' or 'n'))
            {
                mora = (mora.StartsWith("ch", StringComparison.Ordinal) ? "t" : mora[0].ToString()) + mora;
            }

            geminate = false;
            morae.Add(mora);
        }

        var word = new StringBuilder(morae.Count * 3);
        for (int m = 0; m < morae.Count; m++)
        {
            string mora = morae[m];
            string? next = m + 1 < morae.Count ? morae[m + 1] : null;
            bool closing = next is null || !StartsWithVowel(next);
            if (mora == "n")
            {
                if ((reading & Reading.Velar) != 0 && next is not null)
                {
                    // ジョンウン, ソンヒ: ン inside a word closes a syllable with ng, and Korean and Chinese names write
                    // their syllables apart (Jong Un, Son Hui); the joined form covers those written together.
                    word.Append("ng ");
                }
                else
                {
                    // ン before m, b, p sounds m (テンプル temple); Russian names write н there (ローテンベルク Rotenberg).
                    bool labialNext = next is not null && next[0] is 'm' or 'b' or 'p';
                    word.Append(labialNext && ((reading & Reading.Russian) == 0 || next![0] == 'm') ? 'm' : 'n');
                }

                continue;
            }

            bool russian = (reading & Reading.Russian) != 0;
            if (russian)
            {
                if (m == 0 && mora == "u" && next is ['r', ..])
                {
                    // в before a consonant at a word's start: Japanese gives it a vowel of its own (ウラジーミル, ウラジオストク).
                    word.Append('v');
                    continue;
                }

                if (m == 0 && mora == "e")
                {
                    // е at a word's start is ye (Евгений, Ельцин); Japanese writes エ.
                    mora = "ye";
                }

                if (mora == "ri" && closing && next is not null && word.Length > 0 && StartsWithVowel(word[^1].ToString()))
                {
                    // The soft ль before a consonant, after a vowel: リ's vowel is the softness (ヴェクセリベルク,
                    // コヴァリチュク); after a consonant it is a cluster's r (プリゴジン).
                    word.Append('l');
                    continue;
                }

                if (mora == "fu" && closing && next is ['g' or 'b' or 'd' or 'z' or 'j', ..])
                {
                    // в before a voiced consonant (Евгений): Japanese hears and writes f.
                    word.Append('v');
                    continue;
                }

                mora = RussianSound(mora, (reading & Reading.RussianDe) != 0);
            }

            if ((reading & Reading.Closed) != 0 && next is null && mora == "fu" && m > 0 && lengthened.Contains(m - 1))
            {
                // A final フ after a long vowel is Arabic's ḥ or h (ナスルッラーフ, Nasrallah; アブドッラーフ): no Russian -ov
                // (-オフ) has a long vowel before it.
                word.Append('h');
                continue;
            }

            // The vowel after a closing consonant is Japanese's own; so is the one that breaks a cluster at a word's start
            // (プリ pri, ブラ bra, スベ sbe, スト st): a consonant before r, or s and z before any consonant.
            bool cluster = m == 0 && next is not null && closing && (next[0] == 'r' || mora is "su" or "zu");
            if ((reading & Reading.Closed) != 0 && closing && (m > 0 || cluster) && Epenthetic(mora) is { } consonant)
            {
                word.Append(consonant);
                continue;
            }

            word.Append(mora);
        }

        string spelled = word.ToString();
        if ((reading & Reading.Closed) != 0 && (spelled.EndsWith("of", StringComparison.Ordinal) || spelled.EndsWith("ef", StringComparison.Ordinal)))
        {
            // Russian -ов/-ев ends in a devoiced [f], which Japanese hears and writes as フ; Latin spellings write v.
            spelled = spelled[..^1] + "v";
        }

        if ((reading & Reading.Russian) != 0 && spelled.EndsWith("rk", StringComparison.Ordinal))
        {
            // Russian devoices a final г: -берг is heard -berk, and Japanese writes ルク; Latin spellings keep the g.
            spelled = spelled[..^1] + "g";
        }

        if ((reading & Reading.Lateral) != 0)
        {
            spelled = spelled.Replace('r', 'l');
        }

        if ((reading & Reading.KoreanVowel) != 0)
        {
            spelled = WithKoreanAe(spelled);
        }

        if ((reading & Reading.ArabicEnding) != 0 && spelled.Length >= 5 && spelled[^1] == 'a' && !StartsWithVowel(spelled[^2].ToString()))
        {
            // The feminine ending (ta marbuta) is -a, -ah or -eh in Latin spellings (Haniyeh, Fatimah); Japanese writes -a.
            spelled += "h";
        }


        return spelled;
    }

    /// <summary>
    /// The consonant of a mora whose vowel Japanese adds to close a syllable: u after most consonants (ム, ク, ス, ブ, ル),
    /// o after t and d (ト, ド), i after ch and j at a word's end (ッチ); null when the vowel is the name's own.
    /// </summary>
    private static string? Epenthetic(string mora) => mora switch
    {
        "ku" or "gu" or "su" or "zu" or "bu" or "pu" or "mu" or "ru" or "fu" or "vu" or "tsu" or "shu" => mora[..^1],
        "kku" or "ggu" or "ssu" or "ppu" or "bbu" or "ffu" => mora[..^2],
        "to" or "do" => mora[..1],
        "tto" or "ddo" => mora[..1],
        _ => null,
    };

    /// <summary>Every e that is a syllable's vowel (not the second letter of one: ae, oe) written ae.</summary>
    private static string WithKoreanAe(string spelled)
    {
        if (!spelled.Contains('e', StringComparison.Ordinal))
        {
            return spelled;
        }

        var korean = new StringBuilder(spelled.Length + 4);
        for (int i = 0; i < spelled.Length; i++)
        {
            if (spelled[i] == 'e' && (i == 0 || !StartsWithVowel(spelled[i - 1].ToString())))
            {
                korean.Append('a');
            }

            korean.Append(spelled[i]);
        }

        return korean.ToString();
    }

    /// <summary>A mora as it stands for a Russian sound: バ行 for в, ジ for ж (or for ди), チ for ти.</summary>
    private static string RussianSound(string mora, bool de) => mora switch
    {
        "chi" => "ti",
        ['j', ..] => (de ? "d" : "zh") + mora[1..],
        ['b', ..] => "v" + mora[1..],
        _ => mora,
    };

    private static bool StartsWithVowel(string mora) => mora[0] is 'a' or 'e' or 'i' or 'o' or 'u';

    private static char? SmallVowel(char c) => c switch
    {
        '\u30A1' => 'a',
        '\u30A3' => 'i',
        '\u30A5' => 'u',
        '\u30A7' => 'e',
        '\u30A9' => 'o',
        '\u30E3' => 'A',
        '\u30E5' => 'U',
        '\u30E7' => 'O',
        '\u30EE' => 'W',
        _ => null,
    };

    /// <summary>
    /// A mora followed by a small kana: a small ya/yu/yo palatalises it (キャ kya, シャ sha, デュ dyu), a small vowel
    /// replaces its vowel (ファ fa, ティ ti, ドゥ du, ヴァ va, シェ she, ツァ tsa), after ウ and イ alone a w or y glide
    /// (ウィ wi, イェ ye).
    /// </summary>
    private static string JoinSmall(string mora, char small)
    {
        if (small == 'W')
        {
            return mora[..^1] + "wa";
        }

        if (char.IsUpper(small))
        {
            char vowel = char.ToLowerInvariant(small);
            if (mora is "shi" or "chi" or "ji")
            {
                return mora[..^1] + vowel;
            }

            return mora[..^1] + "y" + vowel;
        }

        return mora switch
        {
            "u" => "w" + small,
            "i" => "y" + small,
            "shi" or "chi" or "ji" => mora[..^1] + small,
            "tsu" => "ts" + small,
            _ => mora[..^1] + small,
        };
    }

    private static string Mora(char c) => c switch
    {
        '\u30A2' => "a", '\u30A4' => "i", '\u30A6' => "u", '\u30A8' => "e", '\u30AA' => "o",
        '\u30AB' => "ka", '\u30AD' => "ki", '\u30AF' => "ku", '\u30B1' => "ke", '\u30B3' => "ko",
        '\u30AC' => "ga", '\u30AE' => "gi", '\u30B0' => "gu", '\u30B2' => "ge", '\u30B4' => "go",
        '\u30B5' => "sa", '\u30B7' => "shi", '\u30B9' => "su", '\u30BB' => "se", '\u30BD' => "so",
        '\u30B6' => "za", '\u30B8' => "ji", '\u30BA' => "zu", '\u30BC' => "ze", '\u30BE' => "zo",
        '\u30BF' => "ta", '\u30C1' => "chi", '\u30C4' => "tsu", '\u30C6' => "te", '\u30C8' => "to",
        '\u30C0' => "da", '\u30C2' => "ji", '\u30C5' => "zu", '\u30C7' => "de", '\u30C9' => "do",
        '\u30CA' => "na", '\u30CB' => "ni", '\u30CC' => "nu", '\u30CD' => "ne", '\u30CE' => "no",
        '\u30CF' => "ha", '\u30D2' => "hi", '\u30D5' => "fu", '\u30D8' => "he", '\u30DB' => "ho",
        '\u30D0' => "ba", '\u30D3' => "bi", '\u30D6' => "bu", '\u30D9' => "be", '\u30DC' => "bo",
        '\u30D1' => "pa", '\u30D4' => "pi", '\u30D7' => "pu", '\u30DA' => "pe", '\u30DD' => "po",
        '\u30DE' => "ma", '\u30DF' => "mi", '\u30E0' => "mu", '\u30E1' => "me", '\u30E2' => "mo",
        '\u30E4' => "ya", '\u30E6' => "yu", '\u30E8' => "yo",
        '\u30E9' => "ra", '\u30EA' => "ri", '\u30EB' => "ru", '\u30EC' => "re", '\u30ED' => "ro",
        '\u30EF' => "wa", '\u30F0' => "i", '\u30F1' => "e", '\u30F2' => "o", '\u30F3' => "n",
        '\u30F4' => "vu", '\u30F7' => "va", '\u30F8' => "vi", '\u30F9' => "ve", '\u30FA' => "vo",
        '\u30F5' => "ka", '\u30F6' => "ke",
        '\u30A1' => "a", '\u30A3' => "i", '\u30A5' => "u", '\u30A7' => "e", '\u30A9' => "o",
        '\u30E3' => "ya", '\u30E5' => "yu", '\u30E7' => "yo", '\u30EE' => "wa",
        _ => string.Empty,
    };
}
