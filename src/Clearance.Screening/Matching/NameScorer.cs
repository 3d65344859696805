namespace Clearance.Screening.Matching;

/// <summary>How a query token came to match a list token.</summary>
public enum TokenMatchKind
{
    /// <summary>The same token.</summary>
    Exact,
    /// <summary>Within a few edits (typos, transliteration variants).</summary>
    Fuzzy,
    /// <summary>The same consonant skeleton (Mohamed / Muhammad).</summary>
    Phonetic,
    /// <summary>An initial and a word with that first letter.</summary>
    Initial,
    /// <summary>Two legal forms of the same class (Ltd / Limited, ООО / LLC).</summary>
    LegalForm,
    /// <summary>Two spellings of a name particle (bin / ibn, al / el).</summary>
    Particle,
    /// <summary>The same word on opposite sides of a lineage particle (the person's name against the father's), at reduced similarity.</summary>
    LineageReversed,
}

/// <summary>One aligned pair of tokens in a match explanation.</summary>
/// <param name="QueryToken">The normalised query token.</param>
/// <param name="ListToken">The normalised list token.</param>
/// <param name="Similarity">Token similarity in [0, 1].</param>
/// <param name="Kind">Why they match.</param>
/// <param name="Weight">The combined weight of the two tokens in the name score.</param>
public sealed record TokenAlignment(string QueryToken, string ListToken, double Similarity, TokenMatchKind Kind, double Weight);

/// <summary>How the name score of one query name against one list name was reached.</summary>
/// <param name="Method">"tokens" (token alignment), "joined" (names compared without spaces) or "original-script" (identical in their own script).</param>
/// <param name="Score">The name score.</param>
/// <param name="Alignments">Aligned token pairs, best first.</param>
/// <param name="UnmatchedQueryTokens">Query tokens that matched nothing (they count fully against the score).</param>
/// <param name="UnmatchedListTokens">List tokens that matched nothing (they count at <see cref="NameScorer.UnmatchedListTokenFactor"/>).</param>
public sealed record NameScoreExplanation(
    string Method,
    double Score,
    IReadOnlyList<TokenAlignment> Alignments,
    IReadOnlyList<string> UnmatchedQueryTokens,
    IReadOnlyList<string> UnmatchedListTokens);

/// <summary>
/// The name-similarity algorithm "clearance-name-v2". Tokens of the two names are aligned one to one,
/// best pair first, whatever their order; each aligned pair adds similarity × (weight of both tokens),
/// and the sum is divided by the total weight, where unmatched query tokens count fully and unmatched
/// list tokens at <see cref="UnmatchedListTokenFactor"/> (lists carry middle names and patronymics a
/// query often leaves out). A match must rest on a name word or number: initials, legal forms, particles,
/// titles and stop words add to a score but never make one. The names are also compared written
/// together (spacing differences) and, when both are in a non-Latin script, in that script.
/// </summary>
public static partial class NameScorer
{
    /// <summary>Name and version of the algorithm, reported with every match.</summary>
    public const string Algorithm = "clearance-name-v4";

    /// <summary>Weight of an unmatched list token relative to an unmatched query token.</summary>
    public const double UnmatchedListTokenFactor = 0.3;

    /// <summary>Similarity of an initial and a word that starts with it.</summary>
    public const double InitialSimilarity = 0.6;

    /// <summary>Least similarity of two words with the same phonetic key.</summary>
    public const double PhoneticSimilarity = 0.88;

    /// <summary>Similarity of two romanisations of one East Asian syllable (Kim / Gim, Jeong / Chung).</summary>
    public const double SyllableSimilarity = 0.85;

    /// <summary>Similarity of a word transliterated from Arabic or Hebrew (no vowels) and a Latin spelling with the same consonants.</summary>
    public const double VowellessSimilarity = 0.85;

    /// <summary>Least Jaro-Winkler similarity of two words for their phonetic keys to count.</summary>
    public const double PhoneticMinimumJaroWinkler = 0.8;

    /// <summary>
    /// Least length of the shorter word, as a share of the longer, for their phonetic keys to count: vowels (and y)
    /// drop out of a key, so a word with whole syllables more ("hongdayiyao", 宏达医药 read as one word) has the key
    /// of a shorter name ("hongdu").
    /// </summary>
    public const double PhoneticMinimumLengthRatio = 0.7;

    /// <summary>Factor on the similarity of the joined forms, so that a real token alignment wins ties.</summary>
    public const double JoinedFactor = 0.95;

    /// <summary>
    /// Weight of a number: a number tells members of a series apart (Fund III / Fund IV, vessel 5 / 6)
    /// but names them less than a word does.
    /// </summary>
    public const float NumberWeight = 0.5f;

    /// <summary>
    /// Extra weight, as a fraction, of the name words both names leave unmatched: two names that each
    /// have a word the other lacks disagree (a different family name, a different father), which says
    /// more than a word one side merely omits.
    /// </summary>
    public const double ConflictFactor = 0.5;

    /// <summary>
    /// Factor on the similarity of words aligned across a lineage particle (bin, ibn, bint): in
    /// "Salman bin Muhammad" the word before it is the person and the word after it the father, so
    /// "Muhammad bin Salman" is another person.
    /// </summary>
    public const double LineageCrossFactor = 0.5;

    /// <summary>
    /// Weight at which a legal form counts when both names have one and they differ (AG / GmbH): two
    /// companies of different forms are different legal persons.
    /// </summary>
    public const double LegalFormConflictWeight = 0.6;

    private const int MaxPairs = NameNormalizer.MaxTokens * NameNormalizer.MaxTokens;

    /// <summary>
    /// What an organisation word (bank, university, air) left unmatched costs, as a share of what a name word would:
    /// a name leaving one out ("Mahan" / "Mahan Air") loses less, while a match on one counts as a name word's (the
    /// hospital of a listed university stays a possible match). Two names that leave out different ones ("Kunlun Bank"
    /// / "Kunlun University") disagree, as two different surnames do: those count as conflicting name words.
    /// </summary>
    public const double AbsentOrganisationWordFactor = 0.5;

    /// <summary>Base weight of a token of the given role before rarity is applied.</summary>
    /// <param name="role">The token's role.</param>
    public static float RoleWeight(TokenRole role) => role switch
    {
        TokenRole.Name => 1.0f,
        TokenRole.Number => NumberWeight,
        TokenRole.Initial => 0.3f,
        TokenRole.Particle => 0.3f,
        TokenRole.LegalForm => 0.15f,
        TokenRole.OrganisationWord => 1.0f,
        _ => 0.1f,
    };

    /// <summary>The number of edits two words of this length (the longer of the two) may differ by and still match.</summary>
    /// <param name="length">Length of the longer word.</param>
    public static int AllowedEdits(int length) => length switch
    {
        <= 3 => 0,
        <= 8 => 1,
        _ => 2,
    };

    /// <summary>The number of edits two joined names of this length may differ by.</summary>
    /// <param name="length">Length of the longer joined name.</param>
    public static int AllowedJoinedEdits(int length) => length < 4 ? 0 : Math.Min(2, length / 8);

    /// <summary>
    /// Similarity of two words within <paramref name="maxEdits"/> edits: the mean of Jaro-Winkler and
    /// 1 − edits/length; 0 beyond <paramref name="maxEdits"/>.
    /// </summary>
    /// <param name="a">First word.</param>
    /// <param name="b">Second word.</param>
    /// <param name="maxEdits">Edits allowed.</param>
    public static double EditSimilarity(ReadOnlySpan<char> a, ReadOnlySpan<char> b, int maxEdits)
    {
        if (a.SequenceEqual(b))
        {
            return 1.0;
        }

        int distance = StringSimilarity.BoundedEditDistance(a, b, maxEdits);
        if (distance > maxEdits)
        {
            return 0.0;
        }

        int length = Math.Max(a.Length, b.Length);
        return (0.5 * StringSimilarity.JaroWinkler(a, b)) + (0.5 * (1.0 - ((double)distance / length)));
    }

    /// <summary>Similarity of two normalised tokens given their roles and phonetic keys; 0 when they do not match.</summary>
    /// <param name="a">Query token.</param>
    /// <param name="roleA">Its role.</param>
    /// <param name="phoneticA">Its phonetic key or null.</param>
    /// <param name="b">List token.</param>
    /// <param name="roleB">Its role.</param>
    /// <param name="phoneticB">Its phonetic key or null.</param>
    /// <param name="kind">How they match.</param>
    /// <param name="vowelless">True when exactly one of the two names was written in an abjad (Arabic, Hebrew): consonants alone then decide.</param>
    /// <param name="readFromHan">
    /// True when the query was written in Han characters: its words are readings, syllables exactly as the table gives them,
    /// so a pinyin word of the list that differs from one by a syllable (xinhua / xinghua, 新华 / 兴华) is another name,
    /// not a misspelling of it.
    /// </param>
    /// <param name="readFromKana">
    /// True when the query was written in kana: its words spell sounds, so the letters kana cannot tell apart (c / k) do not
    /// count against a list word already within the allowed edits (<see cref="KanaPhonetics.FoldUnwrittenLetters"/>; only
    /// those, so that the index, which reaches a candidate through such near words, still bounds its score).
    /// </param>
    public static double TokenSimilarity(
        string a, TokenRole roleA, string? phoneticA, string b, TokenRole roleB, string? phoneticB, out TokenMatchKind kind,
        bool vowelless = false, bool readFromHan = false, bool readFromKana = false)
    {
        kind = TokenMatchKind.Exact;
        if (string.Equals(a, b, StringComparison.Ordinal))
        {
            kind = roleA == TokenRole.LegalForm ? TokenMatchKind.LegalForm : TokenMatchKind.Exact;
            return 1.0;
        }

        if (roleA == TokenRole.Initial || roleB == TokenRole.Initial)
        {
            kind = TokenMatchKind.Initial;
            bool letters = roleA is TokenRole.Initial or TokenRole.Name or TokenRole.Particle
                && roleB is TokenRole.Initial or TokenRole.Name or TokenRole.Particle;
            return letters && a[0] == b[0] ? InitialSimilarity : 0.0;
        }

        if (roleA == TokenRole.Particle && roleB == TokenRole.Particle)
        {
            kind = TokenMatchKind.Particle;
            return string.Equals(NameVocabulary.Particles[a], NameVocabulary.Particles[b], StringComparison.Ordinal) ? 0.9 : 0.0;
        }

        if (roleA is TokenRole.OrganisationWord || roleB is TokenRole.OrganisationWord)
        {
            // Two concepts are different words (bank / air); a misspelt one ("univeristy", not in the table) is still
            // near its concept, but is not sounded out phonetically.
            kind = TokenMatchKind.Fuzzy;
            return roleA is TokenRole.Name or TokenRole.OrganisationWord && roleB is TokenRole.Name or TokenRole.OrganisationWord
                && roleA != roleB ? EditSimilarity(a, b, AllowedEdits(Math.Max(a.Length, b.Length))) : 0.0;
        }

        if (roleA != TokenRole.Name || roleB != TokenRole.Name)
        {
            return 0.0;
        }

        if (NameVocabulary.PatronymicAgainstSurname(a, b))
        {
            return 0.0;
        }

        double edit = EditSimilarity(a, b, AllowedEdits(Math.Max(a.Length, b.Length)));
        if (readFromKana && edit > 0.0)
        {
            edit = Math.Max(edit, EditSimilarity(
                KanaPhonetics.FoldUnwrittenLetters(a), KanaPhonetics.FoldUnwrittenLetters(b), AllowedEdits(Math.Max(a.Length, b.Length))));
        }

        if (readFromHan && edit > 0.0 && PinyinSyllablesDiffer(a, b))
        {
            edit = 0.0;
        }

        // A syllable key may be a vowel alone: Lee, Yi, Ri, Li and I are one Korean surname (李, "#i").
        if (phoneticA is { Length: >= 2 } && (phoneticA.Length >= 3 || phoneticA[0] == '#') && edit < SyllableSimilarity
            && string.Equals(phoneticA, phoneticB, StringComparison.Ordinal)
            && (phoneticA[0] == '#' || vowelless))
        {
            kind = TokenMatchKind.Phonetic;
            return phoneticA[0] == '#' ? SyllableSimilarity : VowellessSimilarity;
        }

        // Short skeletons are shared by unrelated names (Omar / Omairi, Kang / Cheng), and a skeleton
        // alone confuses Mahmoud with Mohamed: a phonetic match needs four consonants and a similar spelling,
        // and two words written wholly in pinyin need the same syllables (Beijing is not Beizhang).
        if (phoneticA is { Length: >= 4 } && edit < PhoneticSimilarity
            && string.Equals(phoneticA, phoneticB, StringComparison.Ordinal)
            && Math.Min(a.Length, b.Length) >= PhoneticMinimumLengthRatio * Math.Max(a.Length, b.Length)
            && StringSimilarity.JaroWinkler(a, b) >= PhoneticMinimumJaroWinkler
            && !PinyinSyllablesDiffer(a, b))
        {
            kind = TokenMatchKind.Phonetic;
            return PhoneticSimilarity;
        }

        kind = TokenMatchKind.Fuzzy;
        return edit;
    }

    /// <summary>Weights of a name's tokens from their roles alone (no rarity): used to score pairs of names outside an index.</summary>
    /// <param name="name">A normalised name.</param>
    public static float[] RoleWeights(NormalizedName name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var weights = new float[name.Tokens.Length];
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = RoleWeight(name.Roles[i]);
        }

        return weights;
    }

    /// <summary>Scores two names with role weights only (no list to estimate rarity from).</summary>
    /// <param name="query">The query name.</param>
    /// <param name="candidate">The list name.</param>
    public static double Score(NormalizedName query, NormalizedName candidate) =>
        Score(query, RoleWeights(query), candidate, RoleWeights(candidate), null);

    /// <summary>Scores a query name against a list name in [0, 1].</summary>
    /// <param name="query">The normalised query name.</param>
    /// <param name="queryWeights">Weight of each query token.</param>
    /// <param name="candidate">The normalised list name.</param>
    /// <param name="candidateWeights">Weight of each list token.</param>
    /// <param name="explanation">When not null, receives how the score was reached.</param>
    public static double Score(
        NormalizedName query,
        ReadOnlySpan<float> queryWeights,
        NormalizedName candidate,
        ReadOnlySpan<float> candidateWeights,
        List<NameScoreExplanation>? explanation)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(candidate);
        if (query.OriginalScriptKey is not null
            && string.Equals(query.OriginalScriptKey, candidate.OriginalScriptKey, StringComparison.Ordinal))
        {
            explanation?.Add(new NameScoreExplanation("original-script", 1.0, [], [], []));
            return 1.0;
        }

        double tokenScore = AlignTokens(query, queryWeights, candidate, candidateWeights, explanation);
        double cap = 1.0;
        if (query.OriginalScriptKey is not null && candidate.OriginalScriptKey is not null
            && SameScript(query.OriginalScriptKey[0], candidate.OriginalScriptKey[0]))
        {
            // Both written in the same non-Latin script: the transliteration can hide a difference
            // (高石 / 高市 are both "gao shi"), so the comparison in that script caps the score.
            string a = query.OriginalScriptKey;
            string b = candidate.OriginalScriptKey;
            // An ideograph is a syllable: one differing character of four is a different name, so the
            // plain edit ratio is used for them rather than the Jaro-Winkler blend.
            double original = IsIdeographic(a[0])
                ? 1.0 - ((double)StringSimilarity.BoundedEditDistance(a, b, Math.Max(a.Length, b.Length)) / Math.Max(a.Length, b.Length))
                : EditSimilarity(a, b, AllowedEdits(Math.Max(a.Length, b.Length)));
            if (original < tokenScore)
            {
                if (explanation is not null)
                {
                    explanation.Clear();
                    explanation.Add(new NameScoreExplanation(
                        "original-script", original, [new TokenAlignment(a, b, original, TokenMatchKind.Fuzzy, 1.0)], [], []));
                }

                return original;
            }

            cap = original;
        }

        // The cap holds for the joined form too: a reading written as one word (김종은 / 김정은 both "gimjongun" read as
        // foreign names) must not pass two different names in one script. A reading of Han characters written together
        // still has its syllables: liu-gui-ying (刘桂英) is not liu-cui-ying (LIU Cuiying) one letter off.
        double joined = query.SubstantiveCount == candidate.SubstantiveCount
            ? 0.0
            : Math.Min(JoinedSimilarity(query.Joined, candidate.Joined) * JoinedFactor, cap);
        if (joined > tokenScore
            && !(IsWrittenInHan(query.OriginalScriptKey) && PinyinSyllablesDiffer(query.Joined, candidate.Joined)))
        {
            if (explanation is not null)
            {
                explanation.Clear();
                explanation.Add(new NameScoreExplanation(
                    "joined", joined, [new TokenAlignment(query.Joined, candidate.Joined, joined / JoinedFactor, TokenMatchKind.Fuzzy, 1.0)], [], []));
            }

            return joined;
        }

        return tokenScore;
    }

    /// <summary>Similarity of two joined names, 0 when they are further apart than <see cref="AllowedJoinedEdits"/>.</summary>
    /// <param name="a">First joined name.</param>
    /// <param name="b">Second joined name.</param>
    public static double JoinedSimilarity(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        int length = Math.Max(a.Length, b.Length);
        if (Math.Min(a.Length, b.Length) < 4)
        {
            return 0.0;
        }

        return EditSimilarity(a, b, AllowedJoinedEdits(length));
    }

    private readonly record struct Pair(float Similarity, byte Query, byte Candidate, TokenMatchKind Kind);

    private static double AlignTokens(
        NormalizedName query,
        ReadOnlySpan<float> queryWeights,
        NormalizedName candidate,
        ReadOnlySpan<float> candidateWeights,
        List<NameScoreExplanation>? explanation)
    {
        int nq = query.Tokens.Length;
        int nc = candidate.Tokens.Length;
        if (nq == 0 || nc == 0)
        {
            return 0.0;
        }

        Span<Pair> pairs = stackalloc Pair[Math.Min(nq * nc, MaxPairs)];
        int count = 0;
        bool vowelless = NameNormalizer.IsAbjad(query.OriginalScriptKey) != NameNormalizer.IsAbjad(candidate.OriginalScriptKey);
        bool readFromHan = IsWrittenInHan(query.OriginalScriptKey);
        bool readFromKana = query.OriginalScriptKey is { } originalScript && KanaPhonetics.HasKana(originalScript);
        for (int i = 0; i < nq; i++)
        {
            for (int j = 0; j < nc; j++)
            {
                double sim = TokenSimilarity(
                    query.Tokens[i], query.Roles[i], query.PhoneticKeys[i],
                    candidate.Tokens[j], candidate.Roles[j], candidate.PhoneticKeys[j], out TokenMatchKind kind, vowelless, readFromHan, readFromKana);
                if (sim > 0.0)
                {
                    pairs[count++] = new Pair((float)sim, (byte)i, (byte)j, kind);
                }
            }
        }

        if (count == 0)
        {
            return 0.0;
        }

        pairs = pairs[..count];
        pairs.Sort(static (x, y) =>
        {
            int bySimilarity = y.Similarity.CompareTo(x.Similarity);
            if (bySimilarity != 0)
            {
                return bySimilarity;
            }

            int byQuery = x.Query.CompareTo(y.Query);
            return byQuery != 0 ? byQuery : x.Candidate.CompareTo(y.Candidate);
        });

        Span<bool> queryUsed = stackalloc bool[nq];
        Span<bool> candidateUsed = stackalloc bool[nc];
        queryUsed.Clear();
        candidateUsed.Clear();
        double matched = 0.0;
        double total = 0.0;
        bool substantive = false;
        List<TokenAlignment>? alignments = explanation is null ? null : [];
        int queryLineage = LineagePosition(query);
        int candidateLineage = queryLineage < 0 ? -1 : LineagePosition(candidate);
        double crossedForward = 0.0;
        double crossedBackward = 0.0;
        bool organisationWordMatched = false;
        float rarestMatchedListName = 0f;
        int firstMatchedListWord = nc;
        int lastMatchedListWord = -1;
        foreach (Pair pair in pairs)
        {
            if (queryUsed[pair.Query] || candidateUsed[pair.Candidate])
            {
                continue;
            }

            queryUsed[pair.Query] = true;
            candidateUsed[pair.Candidate] = true;
            double weight = queryWeights[pair.Query] + candidateWeights[pair.Candidate];
            bool pairSubstantive = IsSubstantive(query.Roles[pair.Query]) && IsSubstantive(candidate.Roles[pair.Candidate]);
            if (candidateLineage >= 0 && pairSubstantive && (pair.Query < queryLineage) != (pair.Candidate < candidateLineage))
            {
                // Across the particle: the person's own name against the father's.
                if (pair.Query < queryLineage)
                {
                    crossedForward += pair.Similarity * weight;
                }
                else
                {
                    crossedBackward += pair.Similarity * weight;
                }
            }

            matched += pair.Similarity * weight;
            total += weight;
            substantive |= pairSubstantive;
            organisationWordMatched |= query.Roles[pair.Query] == TokenRole.OrganisationWord
                && candidate.Roles[pair.Candidate] == TokenRole.OrganisationWord;
            if (candidate.Roles[pair.Candidate] == TokenRole.Name)
            {
                rarestMatchedListName = Math.Max(rarestMatchedListName, candidateWeights[pair.Candidate]);
            }

            if (candidate.Roles[pair.Candidate] is TokenRole.Name or TokenRole.OrganisationWord)
            {
                firstMatchedListWord = Math.Min(firstMatchedListWord, pair.Candidate);
                lastMatchedListWord = Math.Max(lastMatchedListWord, pair.Candidate);
            }

            alignments?.Add(new TokenAlignment(
                query.Tokens[pair.Query], candidate.Tokens[pair.Candidate], pair.Similarity, pair.Kind, weight));
        }

        // Only a swap (words crossing the particle both ways: Salman bin Muhammad / Muhammad bin Salman)
        // is another person; a single word across it is a reordering of the kind lists print.
        if (crossedForward > 0.0 && crossedBackward > 0.0)
        {
            matched -= (1.0 - LineageCrossFactor) * (crossedForward + crossedBackward);
            if (alignments is not null)
            {
                MarkLineageReversed(alignments, query, queryLineage, candidate, candidateLineage);
            }
        }

        if (!substantive)
        {
            return 0.0;
        }

        bool queryLeftover = false;
        bool queryWordLeftover = false;
        bool queryLegalLeftover = false;
        for (int i = 0; i < nq; i++)
        {
            if (!queryUsed[i])
            {
                queryLeftover |= IsIdentifying(query.Roles[i]);
                queryWordLeftover |= query.Roles[i] is TokenRole.Name or TokenRole.OrganisationWord;
                queryLegalLeftover |= IsSpecificLegalForm(query, i);
            }
        }

        bool candidateWordLeftover = false;
        bool candidateLegalLeftover = false;
        for (int j = 0; j < nc; j++)
        {
            if (!candidateUsed[j])
            {
                candidateWordLeftover |= candidate.Roles[j] is TokenRole.Name or TokenRole.OrganisationWord;
                candidateLegalLeftover |= IsSpecificLegalForm(candidate, j);
            }
        }

        // A list token left over is usually a middle name the query omits; but when the query too has a
        // name word left over, the two disagree (a different surname): then the words of both sides
        // count more than fully. Numbers are left out: series members (Fund III / Fund IV) are related.
        bool conflict = queryWordLeftover && candidateWordLeftover;
        bool legalConflict = queryLegalLeftover && candidateLegalLeftover;
        for (int i = 0; i < nq; i++)
        {
            if (!queryUsed[i])
            {
                total += LeftoverWeight(query.Roles[i], queryWeights[i], 1.0, conflict, legalConflict);
            }
        }

        // An organisation's name is a place, its own name and the words of its trade (北京燕京电子: Beijing, Yanjing,
        // electronics). When the trade words meet and the query leaves out a list name word that stands between two words
        // it matched, or one rarer on the lists than every name word it matched, that word is not a middle name but the
        // organisation's own name, the part that tells it from every other Beijing electronics company: it counts fully.
        // A commoner one before or after the matched words is usually the place a listing adds (KOREA DAESONG BANK for
        // 대성은행, Shenzhen Huawei Technologies) and keeps the usual share.
        double listFactor = queryLeftover ? 1.0 : UnmatchedListTokenFactor;
        for (int j = 0; j < nc; j++)
        {
            if (!candidateUsed[j])
            {
                bool ownName = organisationWordMatched && candidate.Roles[j] == TokenRole.Name
                    && (candidateWeights[j] > rarestMatchedListName || (j > firstMatchedListWord && j < lastMatchedListWord));
                total += LeftoverWeight(
                    candidate.Roles[j],
                    candidateWeights[j],
                    ownName ? 1.0 : IsIdentifying(candidate.Roles[j]) ? listFactor : UnmatchedListTokenFactor,
                    conflict,
                    legalConflict);
            }
        }

        double score = Math.Max(0.0, matched) / total;
        if (explanation is not null)
        {
            explanation.Add(new NameScoreExplanation(
                "tokens",
                score,
                alignments!,
                Unmatched(query.Tokens, queryUsed),
                Unmatched(candidate.Tokens, candidateUsed)));
        }

        return score;
    }

    private static double LeftoverWeight(TokenRole role, float weight, double factor, bool conflict, bool legalConflict)
    {
        if (role == TokenRole.LegalForm)
        {
            return legalConflict ? Math.Max(weight, LegalFormConflictWeight) : factor * weight;
        }

        if (conflict && role is TokenRole.Name or TokenRole.OrganisationWord)
        {
            return (1.0 + ConflictFactor) * weight;
        }

        return role == TokenRole.OrganisationWord ? AbsentOrganisationWordFactor * factor * weight : factor * weight;
    }

    /// <summary>A legal form other than the generic "company" (Co., Company, Kaisha), which any form may be called.</summary>
    private static bool IsSpecificLegalForm(NormalizedName name, int index) =>
        name.Roles[index] == TokenRole.LegalForm && !string.Equals(name.Tokens[index], GenericCompany, StringComparison.Ordinal);

    private const string GenericCompany = "~co";

    private static void MarkLineageReversed(
        List<TokenAlignment> alignments, NormalizedName query, int queryLineage, NormalizedName candidate, int candidateLineage)
    {
        for (int k = 0; k < alignments.Count; k++)
        {
            TokenAlignment alignment = alignments[k];
            int i = Array.IndexOf(query.Tokens, alignment.QueryToken);
            int j = Array.IndexOf(candidate.Tokens, alignment.ListToken);
            if (IsSubstantive(query.Roles[i]) && IsSubstantive(candidate.Roles[j]) && (i < queryLineage) != (j < candidateLineage))
            {
                alignments[k] = alignment with
                {
                    Similarity = alignment.Similarity * LineageCrossFactor,
                    Kind = TokenMatchKind.LineageReversed,
                };
            }
        }
    }

    /// <summary>Index of the first lineage particle (bin, ibn, bint) with a name word on both sides, or -1.</summary>
    private static int LineagePosition(NormalizedName name)
    {
        for (int i = 1; i < name.Tokens.Length - 1; i++)
        {
            if (name.Roles[i] == TokenRole.Particle
                && NameVocabulary.Particles[name.Tokens[i]] is "bin" or "bint")
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsIdeographic(char c) => c is (>= '\u3040' and <= '\u9FFF') or (>= '\uAC00' and <= '\uD7AF') or (>= '\uF900' and <= '\uFAFF');

    private static bool SameScript(char a, char b) => (IsIdeographic(a) && IsIdeographic(b)) || (a >> 7) == (b >> 7);

    private static bool IsSubstantive(TokenRole role) => role is TokenRole.Name or TokenRole.Number;

    private static bool IsIdentifying(TokenRole role) => role is TokenRole.Name or TokenRole.Number or TokenRole.Initial;

    private static string[] Unmatched(string[] tokens, ReadOnlySpan<bool> used)
    {
        var result = new List<string>();
        for (int i = 0; i < tokens.Length; i++)
        {
            if (!used[i])
            {
                result.Add(tokens[i]);
            }
        }

        return [.. result];
    }
}
