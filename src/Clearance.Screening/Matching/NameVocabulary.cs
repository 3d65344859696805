using System.Collections.Frozen;

namespace Clearance.Screening.Matching;

/// <summary>What a token of a normalised name is, which decides its weight and what it may match.</summary>
public enum TokenRole
{
    /// <summary>An ordinary name word: the only kind, with numbers, a match can rest on.</summary>
    Name,
    /// <summary>A number (vessel names, "11,420.2-1 CORP"); matches only itself.</summary>
    Number,
    /// <summary>A single letter, e.g. the "J" of "Hans J Friedrich"; matches a word with that first letter.</summary>
    Initial,
    /// <summary>A legal form replaced by its class (e.g. "~llc" for LLC, ООО, GmbH); matches only its class.</summary>
    LegalForm,
    /// <summary>A function word ("of", "the", "and", "de"); matches only itself.</summary>
    StopWord,
    /// <summary>A title or honorific ("mr", "president", "sheikh"); matches only itself.</summary>
    Title,
    /// <summary>A name particle ("al", "bin", "abu"); matches itself and its spelling variants.</summary>
    Particle,
    /// <summary>
    /// A word organisations are named with, read as its concept (<see cref="OrganisationWords"/>: "airlines", "航空" → "air");
    /// matches the same concept, costs less than a name word when left out and never carries a match alone.
    /// </summary>
    OrganisationWord,
}

/// <summary>
/// The project's curated word tables: legal forms with their equivalence classes, stop words, titles
/// and name particles. docs/screening.md lists them for reviewers; changing them changes the
/// algorithm version in <see cref="NameScorer.Algorithm"/>.
/// </summary>
public static class NameVocabulary
{
    /// <summary>Prefix marking a legal-form class token, so that it can never collide with a name word.</summary>
    public const char LegalFormPrefix = '~';

    /// <summary>
    /// Legal forms in original script, replaced before transliteration because transliterating them
    /// syllable by syllable (株式会社 → "zhu shi hui she") would make them look like names.
    /// </summary>
    internal static readonly (string Form, string Replacement)[] ScriptLegalForms =
    [
        ("股份有限公司", " gufen youxian gongsi "),
        ("有限责任公司", " limited liability company "),
        ("有限責任公司", " limited liability company "),
        ("有限公司", " youxian gongsi "),
        ("株式会社", " kabushiki kaisha "),
        ("(株)", " kabushiki kaisha "),
        ("(有)", " yugen kaisha "),
        ("有限会社", " yugen kaisha "),
        ("合同会社", " godo kaisha "),
        ("公司", " gongsi "),
        ("주식회사", " jusikhoesa "),
        ("(주)", " jusikhoesa "),
        ("유한회사", " yuhanhoesa "),
    ];

    /// <summary>Legal-form phrases (as normalised Latin tokens) and the class each belongs to.</summary>
    internal static readonly (string Phrase, string Class)[] LegalFormPhrases =
    [
        // Joint-stock companies: AG, SA, KK, JSC and the Russian АО family.
        ("jsc", "jsc"), ("ojsc", "jsc"), ("cjsc", "jsc"), ("pjsc", "jsc"), ("ao", "jsc"), ("oao", "jsc"),
        ("zao", "jsc"), ("pao", "jsc"), ("joint stock company", "jsc"), ("open joint stock company", "jsc"),
        ("closed joint stock company", "jsc"), ("public joint stock company", "jsc"), ("joint stock co", "jsc"),
        ("aktsionernoe obshchestvo", "jsc"), ("otkrytoe aktsionernoe obshchestvo", "jsc"),
        ("zakrytoe aktsionernoe obshchestvo", "jsc"), ("publichnoe aktsionernoe obshchestvo", "jsc"),
        ("ag", "jsc"), ("aktiengesellschaft", "jsc"), ("sa", "jsc"), ("societe anonyme", "jsc"),
        ("sociedad anonima", "jsc"), ("spa", "jsc"), ("societa per azioni", "jsc"), ("nv", "jsc"),
        ("naamloze vennootschap", "jsc"), ("kabushiki kaisha", "jsc"), ("kabushikigaisha", "jsc"), ("kk", "jsc"),
        ("jusikhoesa", "jsc"), ("jusik hoesa", "jsc"), ("chusik hoesa", "jsc"), ("gufen youxian gongsi", "jsc"),
        ("sab de cv", "jsc"), ("sa de cv", "jsc"),

        // Limited liability companies: LLC, ООО, GmbH, SARL, SRL, sp. z o.o.
        ("llc", "llc"), ("limited liability company", "llc"), ("limited liability co", "llc"), ("ooo", "llc"),
        ("obshchestvo s ogranichennoy otvetstvennostyu", "llc"), ("obshchestvo s ogranichennoi otvetstvennostiu", "llc"),
        ("gmbh", "llc"), ("gesellschaft mit beschrankter haftung", "llc"), ("sarl", "llc"), ("srl", "llc"),
        ("societatea cu raspundere limitata", "llc"), ("sociedad de responsabilidad limitada", "llc"),
        ("sp z oo", "llc"), ("spolka z ograniczona odpowiedzialnoscia", "llc"), ("tov", "llc"), ("too", "llc"),
        ("godo kaisha", "llc"), ("yugen kaisha", "llc"), ("yuhanhoesa", "llc"), ("bv", "llc"),
        ("besloten vennootschap", "llc"), ("ltda", "llc"), ("doo", "llc"), ("sro", "llc"),

        // Limited companies: Ltd, Limited, Co. Ltd, Pty Ltd, PLC, 有限公司.
        ("ltd", "ltd"), ("limited", "ltd"), ("co ltd", "ltd"), ("company limited", "ltd"), ("pty ltd", "ltd"),
        ("pty", "ltd"), ("pte ltd", "ltd"), ("pte", "ltd"), ("pvt ltd", "ltd"), ("private limited", "ltd"),
        ("plc", "ltd"), ("public limited company", "ltd"), ("youxian gongsi", "ltd"), ("co limited", "ltd"),

        // Corporations.
        ("inc", "inc"), ("incorporated", "inc"), ("corp", "inc"), ("corporation", "inc"),

        // "Company" in any language.
        ("co", "co"), ("company", "co"), ("gongsi", "co"), ("kaisha", "co"), ("hoesa", "co"), ("cia", "co"),
        ("compania", "co"), ("companhia", "co"), ("compagnie", "co"), ("cie", "co"),

        // Partnerships.
        ("lp", "lp"), ("llp", "lp"), ("kg", "lp"), ("kommanditgesellschaft", "lp"), ("limited partnership", "lp"),

        // Non-profit and state unitary forms (Russian АНО, ФГУП).
        ("ano", "ano"), ("avtonomnaya nekommercheskaya organizatsiya", "ano"), ("nko", "ano"),
        ("fgup", "unitary"), ("gup", "unitary"), ("mup", "unitary"), ("fsue", "unitary"),
        ("federal state unitary enterprise", "unitary"), ("state unitary enterprise", "unitary"),
    ];

    /// <summary>Function words in the languages list names are written in.</summary>
    public static readonly FrozenSet<string> StopWords = FrozenSet.ToFrozenSet(
    [
        "the", "of", "and", "for", "in", "on", "at", "by", "to", "de", "del", "della", "di", "da", "do", "dos",
        "das", "la", "le", "les", "du", "des", "van", "von", "der", "den", "het", "et", "und", "im",
    ], StringComparer.Ordinal);

    /// <summary>Titles and honorifics that say nothing about identity.</summary>
    public static readonly FrozenSet<string> Titles = FrozenSet.ToFrozenSet(
    [
        "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "president", "prasident", "presidente", "presiden",
        "predsjednik", "presedintele", "sheikh", "shaikh", "shaykh", "general", "colonel",
    ], StringComparer.Ordinal);

    /// <summary>Name particles and, for each, the class of spellings it is equivalent to.</summary>
    public static readonly FrozenDictionary<string, string> Particles = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["al"] = "al", ["el"] = "al", ["bin"] = "bin", ["ben"] = "bin", ["ibn"] = "bin", ["bint"] = "bint",
        ["abu"] = "abu", ["abou"] = "abu", ["ould"] = "ould",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Number words and ordinals, read as their digits ("First International Bank" = "1st International Bank").</summary>
    internal static readonly FrozenDictionary<string, int> NumberWords = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["one"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6, ["seven"] = 7, ["eight"] = 8,
        ["nine"] = 9, ["ten"] = 10, ["eleven"] = 11, ["twelve"] = 12, ["thirteen"] = 13, ["fourteen"] = 14,
        ["fifteen"] = 15, ["sixteen"] = 16, ["seventeen"] = 17, ["eighteen"] = 18, ["nineteen"] = 19,
        ["twenty"] = 20, ["thirty"] = 30, ["forty"] = 40, ["fourty"] = 40, ["fifty"] = 50, ["sixty"] = 60,
        ["seventy"] = 70, ["eighty"] = 80, ["ninety"] = 90,
        ["first"] = 1, ["second"] = 2, ["third"] = 3, ["fourth"] = 4, ["fifth"] = 5, ["sixth"] = 6, ["seventh"] = 7,
        ["eighth"] = 8, ["ninth"] = 9, ["tenth"] = 10,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// Roman numerals read as numbers when they follow another word (Fund III, Trust XV). Those that are
    /// also common name syllables (Xi, Vi, Li) are left out, and a single letter stays an initial.
    /// </summary>
    internal static readonly FrozenDictionary<string, int> RomanNumerals = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["ii"] = 2, ["iii"] = 3, ["iv"] = 4, ["vii"] = 7, ["viii"] = 8, ["ix"] = 9, ["xii"] = 12, ["xiii"] = 13,
        ["xiv"] = 14, ["xv"] = 15, ["xvi"] = 16, ["xvii"] = 17, ["xviii"] = 18, ["xix"] = 19, ["xx"] = 20,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// True when one word is an East Slavic patronymic (Viktorovich, Petrovna, Alekseyevna) and the other
    /// a surname of the same stem (Mikhailovna / Mikhailov, Alekseevna / Alekseeva): they are different
    /// parts of a name and never match.
    /// </summary>
    /// <param name="a">A lower-case name word.</param>
    /// <param name="b">Another.</param>
    public static bool PatronymicAgainstSurname(ReadOnlySpan<char> a, ReadOnlySpan<char> b) =>
        (IsPatronymic(a) && IsSlavicSurname(b)) || (IsPatronymic(b) && IsSlavicSurname(a));

    private static bool IsPatronymic(ReadOnlySpan<char> token) =>
        token.Length >= 7
        && (token.EndsWith("vich") || token.EndsWith("vych") || token.EndsWith("vna") || token.EndsWith("ichna"));

    private static bool IsSlavicSurname(ReadOnlySpan<char> token) =>
        token.EndsWith("ov") || token.EndsWith("ova") || token.EndsWith("ev") || token.EndsWith("eva")
        || token.EndsWith("in") || token.EndsWith("ina");

    /// <summary>Legal-form phrases indexed by their first token, longest phrase first.</summary>
    internal static readonly FrozenDictionary<string, LegalForm[]> LegalFormsByFirstToken = ByFirstToken(LegalFormPhrases);

    /// <summary>A legal-form phrase's tokens and the class token it is read as.</summary>
    internal sealed record LegalForm(string[] Tokens, string ClassToken);

    /// <summary>
    /// <paramref name="phrases"/> grouped by their first token, each group longest first and otherwise in their order (a
    /// stable sort, as <c>OrderByDescending</c> gave). Plain loops over a class: LINQ's grouping and ordering of tuples
    /// was compiled at run time by every short process that normalises a name (a recheck, a check of a few lines).
    /// </summary>
    internal static FrozenDictionary<string, LegalForm[]> ByFirstToken((string Phrase, string Class)[] phrases)
    {
        var groups = new Dictionary<string, List<LegalForm>>(StringComparer.Ordinal);
        foreach ((string phrase, string cls) in phrases)
        {
            var form = new LegalForm(phrase.Split(' '), LegalFormPrefix + cls);
            if (!groups.TryGetValue(form.Tokens[0], out var group))
            {
                groups[form.Tokens[0]] = group = [];
            }

            group.Add(form);
        }

        var byFirst = new Dictionary<string, LegalForm[]>(groups.Count, StringComparer.Ordinal);
        foreach (KeyValuePair<string, List<LegalForm>> pair in groups)
        {
            LegalForm[] forms = [.. pair.Value];
            for (int i = 1; i < forms.Length; i++)
            {
                LegalForm form = forms[i];
                int j = i;
                for (; j > 0 && forms[j - 1].Tokens.Length < form.Tokens.Length; j--)
                {
                    forms[j] = forms[j - 1];
                }

                forms[j] = form;
            }

            byFirst.Add(pair.Key, forms);
        }

        return byFirst.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The role a normalised token plays; a function of the token alone, so the index can store it.</summary>
    /// <param name="token">A token produced by <see cref="NameNormalizer"/>.</param>
    public static TokenRole RoleOf(string token)
    {
        if (token.Length > 0 && token[0] == LegalFormPrefix)
        {
            return TokenRole.LegalForm;
        }

        if (token.Length == 1)
        {
            return char.IsAsciiDigit(token[0]) ? TokenRole.Number : TokenRole.Initial;
        }

        if (StopWords.Contains(token))
        {
            return TokenRole.StopWord;
        }

        if (Titles.Contains(token))
        {
            return TokenRole.Title;
        }

        if (Particles.ContainsKey(token))
        {
            return TokenRole.Particle;
        }

        if (OrganisationWords.Concepts.Contains(token))
        {
            return TokenRole.OrganisationWord;
        }

        foreach (char c in token)
        {
            if (!char.IsAsciiDigit(c))
            {
                return TokenRole.Name;
            }
        }

        return TokenRole.Number;
    }
}
