using System.Text;

namespace Clearance.Screening.Matching;

/// <summary>
/// Reads a foreign name written in Hangul as Korean transcribes foreign names (the loanword rules): 블라디미르 푸틴 is
/// Vladimir Putin, 세르게이 라브로프 Sergei Lavrov. Romanised as a Korean name, syllable by syllable (beul la di mi reu),
/// such a name never meets its Latin spelling, because Korean writes every consonant of a cluster or a word's end
/// with the vowel ㅡ (eu) after it, a single ㄹ between vowels as r and ㄹㄹ as l, v as ㅂ and f as ㅍ. This reading undoes
/// those rules, a word at a time: ㅡ after a consonant adds nothing, ㄹ is r between vowels and l elsewhere, ㄹㄹ is one l,
/// the syllables of a word are written together. <see cref="Spell"/> with <c>labial</c> also reads ㅂ as v and ㅍ as f
/// (and a final -of as the Russian -ov). It transcribes by rule; no name is listed.
/// </summary>
public static class HangulPhonetics
{
    private static readonly string[] Initials =
        ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"];

    // ㅓ and ㅐ stand for the o, u and e, a of foreign names; ㅡ (index 18) is handled apart.
    private static readonly string[] Medials =
        ["a", "e", "ya", "ye", "o", "e", "yo", "ye", "o", "wa", "we", "oe", "yo", "u", "wo", "we", "wi", "yu", "u", "ui", "i"];

    private static readonly string[] Finals =
        ["", "k", "k", "k", "n", "n", "n", "t", "l", "l", "l", "l", "l", "l", "l", "l", "m", "p", "p", "s", "s", "ng", "t", "t", "k", "t", "p", "h"];

    private const int Eu = 18;
    private const int Rieul = 5;
    private const int FinalRieul = 8;

    /// <summary>True when the text holds a Hangul syllable.</summary>
    /// <param name="text">Any text.</param>
    public static bool HasHangul(string text) => ScriptRuns.Any(text, IsSyllable);

    /// <summary>The text with every word of Hangul syllables read as a transcribed foreign name; other characters kept.</summary>
    /// <param name="text">A name.</param>
    /// <param name="labial">Also read ㅂ as v and ㅍ as f (Russian в, ф; a final -of as -ov).</param>
    public static string Spell(string text, bool labial) => ScriptRuns.Spell(text, IsSyllable, run => SpellWord(run, labial));

    private static string SpellWord(ReadOnlySpan<char> word, bool labial)
    {
        var spelled = new StringBuilder(word.Length * 3);
        int previousFinal = 0;
        for (int s = 0; s < word.Length; s++)
        {
            int code = word[s] - 0xAC00;
            int initial = code / 588, medial = code % 588 / 28, final = code % 28;
            if (initial == Rieul)
            {
                // ㄹㄹ is one l; a single ㄹ after a syllable without a final (a vowel, or a consonant whose ㅡ was
                // dropped: 브로 "bro") is r; at a word's start or after another final, l.
                spelled.Append(previousFinal == FinalRieul ? string.Empty : s > 0 && previousFinal == 0 ? "r" : "l");
            }
            else
            {
                spelled.Append(Labial(Initials[initial], labial));
            }

            bool consonantBefore = initial != 11;
            if (medial != Eu || !consonantBefore)
            {
                spelled.Append(Medials[medial]);
            }

            spelled.Append(final == 0 ? string.Empty : Labial(Finals[final], labial));
            previousFinal = final;
        }

        string result = spelled.ToString();
        return labial && (result.EndsWith("of", StringComparison.Ordinal) || result.EndsWith("ef", StringComparison.Ordinal))
            ? result[..^1] + "v"
            : result;
    }

    private static string Labial(string consonant, bool labial) =>
        !labial ? consonant : consonant switch { "b" => "v", "p" => "f", _ => consonant };

    private static bool IsSyllable(char c) => c is >= '\uAC00' and <= '\uD7A3';
}
