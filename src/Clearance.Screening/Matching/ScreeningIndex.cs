using System.Runtime.CompilerServices;

namespace Clearance.Screening.Matching;

/// <summary>
/// The in-memory screening index: every primary name and alias of the loaded list entries, normalised
/// once, with token, phonetic-key, joined-name and original-script postings. A query retrieves the
/// names that share at least one relation the scorer can build a match on (the same or a near word,
/// the same phonetic key, a near joined form, the same original-script form) and scores only those with
/// <see cref="NameScorer"/>; <see cref="ScreenFullScan(ScreeningQuery)"/> scores every name and returns the same matches.
/// </summary>
public sealed partial class ScreeningIndex
{
    /// <summary>The score at and above which a match is reported unless the query says otherwise.</summary>
    public const double DefaultThreshold = 0.80;

    private readonly EntityKind[] _entityKinds;

    // Entries are kept as read; an index loaded from a snapshot decodes each entry on first use.
    private readonly ListEntity?[] _entities;
    private readonly EntityRecords? _entityRecords;
    private readonly string[] _listIds;
    private readonly IReadOnlyList<ScreenedList> _screenedAgainst;

    // Entries that are the same party on several lists: a query returns one match per party.
    private readonly SameParty _parties;

    // The names as listed: decoded from a mapped snapshot when read (Indexed, Explain).
    private readonly SnapshotStrings _nameSources;

    // Normalised names with their token weights; an index loaded from a snapshot normalises each name on first use.
    private readonly IndexedName?[] _indexed;
    private readonly int[] _nameEntity;
    private readonly bool[] _nameWeak;

    // An initial of a list name can match any query word with its first letter without being retrieved
    // through it, so such names are never pruned by the bound.
    private readonly bool[] _nameHasInitial;

    // The largest and the total token weight of each name: all the score bound needs of a candidate.
    private readonly float[] _nameMaxWeight;
    private readonly float[] _nameTotalWeight;

    // The least a name's tokens can cost left unmatched, per unit of the list factor: an absent organisation word costs
    // less (NameScorer.AbsentOrganisationWordFactor), so the bound's leftover term uses this instead of the total.
    private readonly float[] _nameLeftoverWeight;

    // What the candidate loop reads of a name, side by side: one cache line per candidate instead of one per array above
    // (and the entry's kind), which a batch touches in random order thousands of times per query.
    private readonly CandidateFacts[] _candidateFacts;

    // The largest token weight of any name, and the names with an initial as bits (a few kilobytes, so they stay in cache):
    // with them the loop can bound a candidate by the query tokens that reached it alone, before it reads the candidate.
    private readonly float _largestNameWeight;
    private readonly ulong[] _namesWithInitial;
    private readonly FuzzyKeyIndex _tokens;
    private readonly FuzzyKeyIndex _joined;
    private readonly KeyedPostings _phoneticTokens;
    private readonly KeyedPostings _originalNames;
    private readonly double _logNameCount;
    private readonly ThreadLocal<Scratch> _scratch;
    private readonly int[]?[] _nearTokens;

    // Query words not on any list (most ordinary names) recur across a batch; their neighbours are kept too, up to a bound.
    private const int MaxRememberedUnknownTokens = 200_000;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int[]> _nearUnknown = new(StringComparer.Ordinal);

    /// <summary>
    /// <see cref="RankCandidates"/> as a delegate, made once (a lambda over the index was one more allocation a query:
    /// a recheck screens thousands of parties). A race makes it twice, which is harmless.
    /// </summary>
    private Func<ScreeningQuery, NormalizedName, float[], (List<ScreeningMatch> Matches, int Total)>? _rankCandidates;

    private ScreeningIndex(
        EntityKind[] entityKinds,
        ListEntity?[] entities,
        EntityRecords? entityRecords,
        string[] listIds,
        SnapshotStrings nameSources,
        IndexedName?[] indexed,
        int[] nameEntity,
        bool[] nameWeak,
        bool[] nameHasInitial,
        FuzzyKeyIndex tokens,
        FuzzyKeyIndex joined,
        KeyedPostings phoneticTokens,
        KeyedPostings originalNames,
        IReadOnlyList<ScreenedList> screenedAgainst,
        SameParty parties,
        float[]? nameMaxWeight = null,
        float[]? nameTotalWeight = null,
        float[]? nameLeftoverWeight = null)
    {
        _screenedAgainst = screenedAgainst;
        _parties = parties;
        _entityKinds = entityKinds;
        _entities = entities;
        _entityRecords = entityRecords;
        _listIds = listIds;
        _nameSources = nameSources;
        _indexed = indexed;
        _nameEntity = nameEntity;
        _nameWeak = nameWeak;
        _nameHasInitial = nameHasInitial;
        _tokens = tokens;
        _joined = joined;
        _phoneticTokens = phoneticTokens;
        _originalNames = originalNames;
        _logNameCount = Math.Log(Math.Max(2, nameSources.Count));
        if (nameMaxWeight is null || nameTotalWeight is null || nameLeftoverWeight is null)
        {
            // Built from entries: every name is normalised; its weights need the token counts above.
            nameMaxWeight = new float[nameSources.Count];
            nameTotalWeight = new float[nameSources.Count];
            nameLeftoverWeight = new float[nameSources.Count];
            for (int n = 0; n < nameSources.Count; n++)
            {
                NormalizedName normalized = indexed[n]!.Name;
                float[] weights = Weights(normalized);
                indexed[n] = indexed[n]! with { Weights = weights };
                nameMaxWeight[n] = Largest(weights);
                nameTotalWeight[n] = Total(weights);
                float leftover = 0f;
                for (int t = 0; t < weights.Length; t++)
                {
                    leftover += normalized.Roles[t] == TokenRole.OrganisationWord ? (float)NameScorer.AbsentOrganisationWordFactor * weights[t] : weights[t];
                }

                nameLeftoverWeight[n] = leftover;
            }
        }

        _nameMaxWeight = nameMaxWeight;
        _nameTotalWeight = nameTotalWeight;
        _nameLeftoverWeight = nameLeftoverWeight;
        _candidateFacts = new CandidateFacts[nameSources.Count];
        _largestNameWeight = Largest(nameMaxWeight);
        _namesWithInitial = new ulong[(nameSources.Count + 63) / 64];
        for (int n = 0; n < nameSources.Count; n++)
        {
            if (nameHasInitial[n])
            {
                _namesWithInitial[n >> 6] |= 1UL << (n & 63);
            }

            _candidateFacts[n] = new CandidateFacts(
                nameEntity[n], entityKinds[nameEntity[n]], nameHasInitial[n], nameWeak[n], nameMaxWeight[n], nameTotalWeight[n], nameLeftoverWeight[n]);
        }

        _nearTokens = new int[]?[_tokens.KeyCount];
        _scratch = new ThreadLocal<Scratch>(() => new Scratch(_nameSources.Count, _entityKinds.Length, _tokens.CreateScratch(), _joined.CreateScratch()));
    }

    /// <summary>
    /// Builds an index over the given list entries; <see cref="ScreenedAgainst"/> names their lists without versions
    /// (<see cref="ScreenedList.Of"/>).
    /// </summary>
    /// <param name="entities">The entries of every list to screen against.</param>
    public static ScreeningIndex Build(IEnumerable<ListEntity> entities) => Build(entities, null);

    /// <summary>Builds an index over the given list entries, which come from the list versions <paramref name="screenedAgainst"/>.</summary>
    /// <param name="entities">The entries of every list to screen against.</param>
    /// <param name="screenedAgainst">The list versions the entries are (e.g. the store's active versions); null derives them from the entries.</param>
    public static ScreeningIndex Build(IEnumerable<ListEntity> entities, IReadOnlyList<ScreenedList>? screenedAgainst)
    {
        ArgumentNullException.ThrowIfNull(entities);
        ListEntity[] entries = [.. entities];
        screenedAgainst ??= ScreenedList.Of(entries);
        var names = new List<NormalizedName>();
        var nameSources = new List<string>();
        var nameEntity = new List<int>();
        var nameWeak = new List<bool>();
        var primaryNameKeys = new string?[entries.Length];
        for (int e = 0; e < entries.Length; e++)
        {
            ListEntity entity = entries[e];
            var seen = new HashSet<string>(StringComparer.Ordinal);
            int before = names.Count;
            AddName(entity.PrimaryName, weak: false);
            primaryNameKeys[e] = names.Count > before ? string.Join(' ', names[before].Tokens) : null;
            foreach (EntityAlias alias in entity.Aliases)
            {
                AddName(alias.Name, alias.Strength == AliasStrength.Weak);
            }

            void AddName(string name, bool weak)
            {
                if (string.IsNullOrWhiteSpace(name) || !seen.Add(name))
                {
                    return;
                }

                NormalizedName normalized = NameNormalizer.Normalize(name);
                if (normalized.Tokens.Length == 0 && normalized.OriginalScriptKey is null)
                {
                    return;
                }

                names.Add(normalized);
                nameSources.Add(name);
                nameEntity.Add(e);
                nameWeak.Add(weak);
            }
        }

        var tokenPostings = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var joinedPostings = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var phonetic = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var original = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int n = 0; n < names.Count; n++)
        {
            NormalizedName name = names[n];
            for (int t = 0; t < name.Tokens.Length; t++)
            {
                Add(tokenPostings, name.Tokens[t], n);
                if (name.PhoneticKeys[t] is { } key)
                {
                    if (!phonetic.TryGetValue(key, out var set))
                    {
                        phonetic[key] = set = new HashSet<string>(StringComparer.Ordinal);
                    }

                    set.Add(name.Tokens[t]);
                }
            }

            if (name.Joined.Length > 0)
            {
                Add(joinedPostings, name.Joined, n);
            }

            if (name.OriginalScriptKey is { } originalKey)
            {
                Add(original, originalKey, n);
            }
        }

        // Plain loops below, not LINQ over value types: a recheck builds a small index of the changed entries in a short
        // process, and each such LINQ instantiation was compiled at run time there (docs/benchmarks.md, recheck-speed16).
        FuzzyKeyIndex tokens = FuzzyKeyIndex.Build(tokenPostings, gramLength: 2);
        var kinds = new EntityKind[entries.Length];
        for (int e = 0; e < entries.Length; e++)
        {
            kinds[e] = entries[e].Kind;
        }

        var indexed = new IndexedName?[names.Count];
        var hasInitial = new bool[names.Count];
        for (int n = 0; n < names.Count; n++)
        {
            indexed[n] = new IndexedName(names[n], []);
            hasInitial[n] = Array.IndexOf(names[n].Roles, TokenRole.Initial) >= 0;
        }

        var phoneticTokens = new Dictionary<string, int[]>(phonetic.Count, StringComparer.Ordinal);
        foreach (KeyValuePair<string, HashSet<string>> pair in phonetic)
        {
            var ids = new List<int>(pair.Value.Count);
            foreach (string token in pair.Value)
            {
                ids.Add(tokens.TryGetId(token, out int id) ? id : -1);
            }

            phoneticTokens.Add(pair.Key, FuzzyKeyIndex.SortedDistinct(ids, distinct: false));
        }

        var originalNames = new Dictionary<string, int[]>(original.Count, StringComparer.Ordinal);
        foreach (KeyValuePair<string, List<int>> pair in original)
        {
            originalNames.Add(pair.Key, FuzzyKeyIndex.SortedDistinct(pair.Value, distinct: true));
        }

        return new ScreeningIndex(
            kinds,
            entries,
            null,
            [.. entries.Select(e => e.ListId).Distinct().Order(StringComparer.Ordinal)],
            new SnapshotStrings([.. nameSources]),
            indexed,
            [.. nameEntity],
            [.. nameWeak],
            hasInitial,
            tokens,
            FuzzyKeyIndex.Build(joinedPostings, gramLength: 3),
            KeyedPostings.Of(phoneticTokens),
            KeyedPostings.Of(originalNames),
            [.. screenedAgainst],
            SameParty.Group(entries, primaryNameKeys));

        static void Add(Dictionary<string, List<int>> postings, string key, int name)
        {
            if (!postings.TryGetValue(key, out var list))
            {
                postings[key] = list = [];
            }

            if (list.Count == 0 || list[^1] != name)
            {
                list.Add(name);
            }
        }
    }

    /// <summary>The largest of <paramref name="weights"/>, 0 for none (<c>Enumerable.Max</c>'s answer: no weight is NaN).</summary>
    internal static float Largest(float[] weights)
    {
        if (weights.Length == 0)
        {
            return 0f;
        }

        float largest = weights[0];
        for (int i = 1; i < weights.Length; i++)
        {
            if (weights[i] > largest)
            {
                largest = weights[i];
            }
        }

        return largest;
    }

    /// <summary>The sum of <paramref name="weights"/> as <c>Enumerable.Sum</c> gives it for floats: added in double, in order, then rounded.</summary>
    internal static float Total(float[] weights)
    {
        double total = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            total += weights[i];
        }

        return (float)total;
    }

    /// <summary>The number of list entries indexed.</summary>
    public int EntityCount => _entityKinds.Length;

    /// <summary>The number of parties: entries that are the same party on several lists count once.</summary>
    public int PartyCount => _parties.Starts.Length - 1;

    /// <summary>The number of names (primary names and aliases) indexed.</summary>
    public int NameCount => _nameSources.Count;

    /// <summary>The ids of the lists the indexed entries come from, in ordinal order.</summary>
    public IReadOnlyList<string> ListIds => _listIds;

    /// <summary>The list versions the index holds, for results to name what they were screened against.</summary>
    public IReadOnlyList<ScreenedList> ScreenedAgainst => _screenedAgainst;

    /// <summary>The number of distinct tokens.</summary>
    public int TokenCount => _tokens.KeyCount;

    /// <summary>Screens one party: the matching list entries at or above the threshold, best first.</summary>
    /// <param name="query">The party.</param>
    public IReadOnlyList<ScreeningMatch> Screen(ScreeningQuery query) => Screen(query, out _);

    /// <summary>
    /// Screens one party: the matching list entries at or above the threshold, best first, at most
    /// <see cref="ScreeningQuery.Limit"/> of them; <paramref name="total"/> is how many entries reached the threshold
    /// before the limit cut them.
    /// </summary>
    /// <param name="query">The party.</param>
    /// <param name="total">The number of entries at or above the threshold (at least the number returned).</param>
    public IReadOnlyList<ScreeningMatch> Screen(ScreeningQuery query, out int total)
    {
        ArgumentNullException.ThrowIfNull(query);
        return ScreenSpellings(query, out total, _rankCandidates ??= RankCandidates);
    }

    /// <summary>One reading of a query: its candidates collected from the index, then ranked.</summary>
    private (List<ScreeningMatch> Matches, int Total) RankCandidates(ScreeningQuery spelling, NormalizedName name, float[] weights)
    {
        Scratch scratch = _scratch.Value!;
        CollectCandidates(name, scratch);
        List<ScreeningMatch> matches = Rank(spelling, name, weights, scratch.Candidates, scratch, out int found);
        return (matches, found);
    }

    /// <summary>
    /// Screens one party by scoring every indexed name: the reference the index is tested against,
    /// and the baseline of the benchmarks.
    /// </summary>
    /// <param name="query">The party.</param>
    public IReadOnlyList<ScreeningMatch> ScreenFullScan(ScreeningQuery query) => ScreenFullScan(query, out _);

    /// <summary>As <see cref="ScreenFullScan(ScreeningQuery)"/>, with the number of entries at or above the threshold.</summary>
    /// <param name="query">The party.</param>
    /// <param name="total">The number of entries at or above the threshold.</param>
    public IReadOnlyList<ScreeningMatch> ScreenFullScan(ScreeningQuery query, out int total)
    {
        ArgumentNullException.ThrowIfNull(query);
        var all = new List<int>(_nameSources.Count);
        for (int n = 0; n < _nameSources.Count; n++)
        {
            all.Add(n);
        }

        return ScreenSpellings(query, out total, (spelling, name, weights) =>
            (Rank(spelling, name, weights, all, new Scratch(_nameSources.Count, _entityKinds.Length, new NearScratch(0), new NearScratch(0)), out int found, prune: false), found));
    }

    /// <summary>
    /// Screens the name as written and, when punctuation, a symbol or an emoji sits inside one of its words ("KUN😀LUN"),
    /// also its spellings without such marks (<see cref="NameNormalizer.SpellingsWithoutMarksInsideWords"/>: "KUNLUN"),
    /// keeping each entry's best score. Read as a separator such a mark splits a listed word in two and hides the name;
    /// read as nothing it would join two words where it stands for a space ("BANK😀OF") or is the name's own hyphen
    /// ("AL-SHAYKH"): only all the readings together keep an inserted mark from lowering a listed name's score (issue 7,
    /// screening evasion). Most names have no such mark and are screened once. A name written in Han characters or kana
    /// is screened in its readings too (<see cref="NameNormalizer.Readings"/>).
    /// </summary>
    private List<ScreeningMatch> ScreenSpellings(
        ScreeningQuery query, out int total, Func<ScreeningQuery, NormalizedName, float[], (List<ScreeningMatch> Matches, int Total)> rank)
    {
        NormalizedName name = NameNormalizer.Normalize(query.Name);
        IReadOnlyList<string> spellings = NameNormalizer.SpellingsWithoutMarksInsideWords(query.Name);

        // A name in Han characters or kana is also read as Korean, Mandarin and Japanese read it (金正恩 → Kim Jong Un).
        IReadOnlyList<NormalizedName> scriptReadings = NameNormalizer.Readings(query.Name, query.Country);
        if (spellings.Count == 0 && scriptReadings.Count == 0)
        {
            // Most names: the name as written only, and no list of its readings made (a recheck screens thousands).
            (List<ScreeningMatch> matches, total) = rank(query, name, Weights(name));
            return matches;
        }

        var readings = new List<NormalizedName> { name };
        foreach (string spelling in spellings)
        {
            AddReading(NameNormalizer.Normalize(spelling));
        }

        foreach (NormalizedName reading in scriptReadings)
        {
            AddReading(reading);
        }

        void AddReading(NormalizedName reading)
        {
            if (!readings.Exists(r => r.Tokens.AsSpan().SequenceEqual(reading.Tokens)))
            {
                readings.Add(reading);
            }
        }

        if (readings.Count == 1)
        {
            (List<ScreeningMatch> single, total) = rank(query, name, Weights(name));
            return single;
        }

        // Every match of every reading, so that the limit and the total apply to the entries, not to each reading.
        ScreeningQuery unlimited = query with { Limit = int.MaxValue };
        var best = new Dictionary<(string List, string Entity), ScreeningMatch>();
        foreach (NormalizedName reading in readings)
        {
            foreach (ScreeningMatch match in rank(unlimited, reading, Weights(reading)).Matches)
            {
                if (!best.TryGetValue((match.ListId, match.EntityId), out ScreeningMatch? seen) || match.Score > seen.Score)
                {
                    best[(match.ListId, match.EntityId)] = match;
                }
            }
        }

        total = best.Count;
        return [.. best.Values
            .OrderByDescending(m => m.Score)
            .ThenBy(m => m.ListId, Comparer<string>.Create(ListConsequences.Compare))
            .ThenBy(m => m.EntityId, StringComparer.Ordinal)
            .Take(Math.Max(0, query.Limit))];
    }

    /// <summary>The entry at position <paramref name="e"/>, decoded from the snapshot on first use.</summary>
    private ListEntity Entity(int e)
    {
        ListEntity? entity = Volatile.Read(ref _entities[e]);
        if (entity is null)
        {
            entity = _entityRecords!.Read(e);
            Volatile.Write(ref _entities[e], entity);
        }

        return entity;
    }

    /// <summary>The normalised name at position <paramref name="n"/> with its weights, normalised on first use.</summary>
    private IndexedName Indexed(int n)
    {
        IndexedName? indexed = Volatile.Read(ref _indexed[n]);
        if (indexed is null)
        {
            NormalizedName name = NameNormalizer.Normalize(_nameSources[n]);
            indexed = new IndexedName(name, Weights(name));
            Volatile.Write(ref _indexed[n], indexed);
        }

        return indexed;
    }

    /// <summary>
    /// The weight of each token: its role weight times a rarity factor from 0.5 (in every name) to 1
    /// (in one name, or in none).
    /// </summary>
    private float[] Weights(NormalizedName name)
    {
        var weights = new float[name.Tokens.Length];
        for (int t = 0; t < weights.Length; t++)
        {
            double rarity = 1.0;
            if (_tokens.TryGetId(name.Tokens[t], out int id))
            {
                double df = _tokens.PostingCount(id);
                rarity = 0.5 + (0.5 * Math.Log(_nameSources.Count / df + 1e-9) / _logNameCount);
                rarity = Math.Clamp(rarity, 0.5, 1.0);
            }

            weights[t] = (float)(NameScorer.RoleWeight(name.Roles[t]) * rarity);
        }

        return weights;
    }

    // Compiled optimised at once (see Scratch.AddNames).
    [MethodImpl(HotPath.Compile)]
    private void CollectCandidates(NormalizedName name, Scratch scratch)
    {
        scratch.NextQuery();
        for (int t = 0; t < name.Tokens.Length; t++)
        {
            TokenRole role = name.Roles[t];
            if (role is not (TokenRole.Name or TokenRole.Number))
            {
                continue;
            }

            string token = name.Tokens[t];
            if (!_tokens.TryGetId(token, out int exact))
            {
                exact = -1;
            }
            else
            {
                scratch.AddNames(_tokens.Postings(exact), 1u << t);
            }

            if (role != TokenRole.Name)
            {
                continue;
            }

            if (name.PhoneticKeys[t] is { } key)
            {
                foreach (int id in _phoneticTokens[key])
                {
                    scratch.AddNames(_tokens.Postings(id), 1u << t);
                }
            }

            foreach (int id in NearTokens(token, exact, scratch))
            {
                scratch.AddNames(_tokens.Postings(id), 1u << t);
            }
        }

        if (name.Joined.Length >= 4)
        {
            if (_joined.TryGetId(name.Joined, out int exactJoined))
            {
                scratch.AddNames(_joined.Postings(exactJoined), Scratch.Unbounded);
            }

            _joined.ForEachNear(name.Joined, NameScorer.AllowedJoinedEdits, scratch.Joined);
            foreach (int id in scratch.Joined.Found)
            {
                scratch.AddNames(_joined.Postings(id), Scratch.Unbounded);
            }
        }

        if (name.OriginalScriptKey is { } original)
        {
            scratch.AddNames(_originalNames[original], Scratch.Unbounded);
        }

        // The postings read above may point into a mapped snapshot, which this index keeps mapped.
        GC.KeepAlive(this);
    }

    /// <summary>
    /// The indexed tokens within the allowed edits of a query token. For a token that is itself indexed
    /// the answer is computed once and kept (the index never changes), so common names cost a lookup. The array itself:
    /// read by a foreach over an interface, it cost an enumerator for every name word of every query.
    /// </summary>
    private int[] NearTokens(string token, int tokenId, Scratch scratch)
    {
        if (tokenId >= 0 && Volatile.Read(ref _nearTokens[tokenId]) is { } known)
        {
            return known;
        }

        if (tokenId < 0 && _nearUnknown.TryGetValue(token, out int[]? seen))
        {
            return seen;
        }

        _tokens.ForEachNear(token, NameScorer.AllowedEdits, scratch.Tokens);
        int[] near = [.. scratch.Tokens.Found];
        if (tokenId >= 0)
        {
            Volatile.Write(ref _nearTokens[tokenId], near);
        }
        else if (_nearUnknown.Count < MaxRememberedUnknownTokens)
        {
            _nearUnknown.TryAdd(token, near);
        }

        return near;
    }

    // Compiled optimised at once (see Scratch.AddNames).
    [MethodImpl(HotPath.Compile)]
    private List<ScreeningMatch> Rank(
        ScreeningQuery query, NormalizedName name, float[] weights, List<int> candidates, Scratch scratch, out int total, bool prune = true)
    {
        double threshold = query.Threshold ?? DefaultThreshold;
        double headroom = threshold - EntityFeatures.MaxRaise(query);
        scratch.NextEntities();
        List<int> entities = scratch.Entities;
        foreach (int n in candidates)
        {
            // First the bound any name reached through the same query tokens could reach (the largest weight of every
            // name for its own): most candidates are reached through one common word and stop here, without a read of
            // their facts. The margin keeps rounding from pruning a name whose own bound equals the headroom.
            if (prune && MaskBound(name, weights, scratch.MaskOf(n), scratch) < headroom - BoundMargin && (_namesWithInitial[n >> 6] & (1UL << (n & 63))) == 0)
            {
                continue;
            }

            ref readonly CandidateFacts facts = ref _candidateFacts[n];
            int e = facts.Entity;
            if (EntityFeatures.KindExcludes(query.Kind, facts.Kind))
            {
                continue;
            }

            if (prune && !facts.HasInitial && UpperBound(name, weights, scratch.MaskOf(n), facts.MaxWeight, facts.TotalWeight, facts.LeftoverWeight) < headroom)
            {
                continue;
            }

            IndexedName candidate = Indexed(n);
            double score = NameScorer.Score(name, weights, candidate.Name, candidate.Weights, null);
            if (score <= 0.0)
            {
                continue;
            }

            if (facts.Weak)
            {
                score *= EntityFeatures.WeakAliasFactor;
            }

            scratch.Offer(e, n, score);
        }

        var ranked = new List<(int Entity, int Name, double Score)>();
        foreach (int e in entities)
        {
            if (query.Lists is { } lists && !lists.Contains(Entity(e).ListId))
            {
                continue;
            }

            (int best, double nameScore) = scratch.Best(e);
            double score = Math.Clamp(nameScore + EntityFeatures.Adjust(query, name, Entity(e), null), 0.0, 1.0);
            if (score >= threshold)
            {
                ranked.Add((e, best, score));
            }
        }

        if (_parties.HasShared && ranked.Count > 1)
        {
            ranked = OnePerParty(ranked);
        }

        total = ranked.Count;
        var matches = new List<ScreeningMatch>(Math.Min(ranked.Count, query.Limit));
        if (ranked.Count == 0)
        {
            // Most queries of a recheck's parties against the few changed entries: no sort and no closure made for it.
            return matches;
        }

        SortRanked(ranked, query);
        int kept = Math.Min(ranked.Count, Math.Max(0, query.Limit));
        for (int i = 0; i < kept; i++)
        {
            (int e, int n, double score) = ranked[i];
            matches.Add(Explain(query, name, weights, e, n, score));
        }

        return matches;
    }

    /// <summary>
    /// Best first; equal scores the gravest list first (a prohibition before a licence requirement), as within a party,
    /// then by entity id. A method of its own: the comparison's closure is made only when there is something to sort.
    /// </summary>
    private void SortRanked(List<(int Entity, int Name, double Score)> ranked, ScreeningQuery query) =>
        ranked.Sort((x, y) =>
        {
            int byScore = y.Score.CompareTo(x.Score);
            if (byScore != 0)
            {
                return byScore;
            }

            ListEntity a = Entity(Representative(x.Entity, query));
            ListEntity b = Entity(Representative(y.Entity, query));
            int byList = ListConsequences.Compare(a.ListId, b.ListId);
            return byList != 0 ? byList : string.CompareOrdinal(a.EntityId, b.EntityId);
        });

    /// <summary>
    /// The best-scoring entry of each party (the first in <paramref name="ranked"/> order of score, ties to the lower
    /// entry, which <see cref="Scratch.Offer"/> order makes deterministic).
    /// </summary>
    private List<(int Entity, int Name, double Score)> OnePerParty(List<(int Entity, int Name, double Score)> ranked)
    {
        ranked.Sort((x, y) => y.Score != x.Score ? y.Score.CompareTo(x.Score) : x.Entity.CompareTo(y.Entity));
        var seen = new HashSet<int>();
        var kept = new List<(int Entity, int Name, double Score)>(ranked.Count);
        foreach ((int Entity, int Name, double Score) entry in ranked)
        {
            if (seen.Add(_parties.PartyOf[entry.Entity]))
            {
                kept.Add(entry);
            }
        }

        return kept;
    }

    /// <summary>The gravest entry of <paramref name="e"/>'s party on the query's lists (<paramref name="e"/> itself is on them).</summary>
    private int Representative(int e, ScreeningQuery query)
    {
        if (!_parties.HasShared)
        {
            return e;
        }

        foreach (int member in _parties.Of(_parties.PartyOf[e]))
        {
            if (query.Lists is not { } lists || lists.Contains(Entity(member).ListId))
            {
                return member;
            }
        }

        return e;
    }

    /// <summary>Every entry of <paramref name="e"/>'s party on the query's lists, gravest first.</summary>
    private ListEntity[] Listings(int e, ScreeningQuery query)
    {
        if (!_parties.HasShared)
        {
            return [Entity(e)];
        }

        var listings = new List<ListEntity>(2);
        foreach (int member in _parties.Of(_parties.PartyOf[e]))
        {
            ListEntity entity = Entity(member);
            if (query.Lists is not { } lists || lists.Contains(entity.ListId))
            {
                listings.Add(entity);
            }
        }

        return [.. listings];
    }

    /// <summary>
    /// The largest <see cref="UpperBound"/> of any name reached through the query tokens in <paramref name="mask"/>: that of a
    /// candidate with the largest token weight of the index, no unmatched weight of its own (x / (x + u) grows with x, and
    /// the candidate's leftover term only adds to the denominator). Kept per mask for the query being ranked.
    /// </summary>
    // Compiled optimised at once (see Scratch.AddNames).
    [MethodImpl(HotPath.Compile)]
    private double MaskBound(NormalizedName name, float[] weights, uint mask, Scratch scratch)
    {
        if (mask < Scratch.KeptMaskBounds)
        {
            ref double kept = ref scratch.KeptMaskBound(mask);
            if (double.IsNaN(kept))
            {
                kept = UpperBound(name, weights, mask, _largestNameWeight, double.PositiveInfinity, 0.0);
            }

            return kept;
        }

        return UpperBound(name, weights, mask, _largestNameWeight, double.PositiveInfinity, 0.0);
    }

    // Bounds within this of the headroom are left to the candidate's own bound.
    private const double BoundMargin = 1e-9;

    /// <summary>
    /// An upper bound of the name score of a candidate reached through the query tokens in
    /// <paramref name="mask"/>. A name word or number of the query outside the mask has no relation to
    /// any token of the candidate, so it stays unmatched and its weight u counts fully in the denominator.
    /// The m other query tokens match at best with similarity 1, each to one list token of weight at most
    /// the candidate's largest, c_max; so the aligned weight is at most x = Σ w_q + m·c_max, and at least
    /// W_c − m·c_max of the candidate's weight stays unmatched and counts at 0.3 or more; an organisation word among it at
    /// half that, so the leftover term takes L_c (the weights with organisation words halved) for W_c.
    /// score = matched / total ≤ x / (x + u + 0.3 · max(0, L_c − m·c_max)).
    /// </summary>
    // Compiled optimised at once (see Scratch.AddNames).
    [MethodImpl(HotPath.Compile)]
    private static double UpperBound(NormalizedName name, float[] weights, uint mask, double candidateMax, double candidateTotal, double candidateLeftover)
    {
        if ((mask & Scratch.Unbounded) != 0)
        {
            return 1.0;
        }

        double queryMatchable = 0.0;
        double unmatched = 0.0;
        int matchable = 0;
        for (int t = 0; t < weights.Length; t++)
        {
            bool identifying = name.Roles[t] is TokenRole.Name or TokenRole.Number;
            if (identifying && (mask & (1u << t)) == 0)
            {
                unmatched += weights[t];
            }
            else
            {
                queryMatchable += weights[t];
                matchable++;
            }
        }

        double alignedCandidate = Math.Min(candidateTotal, matchable * candidateMax);
        double x = queryMatchable + alignedCandidate;
        double denominator = x + unmatched + (NameScorer.UnmatchedListTokenFactor * Math.Max(0.0, candidateLeftover - alignedCandidate));
        return denominator <= 0.0 ? 1.0 : x / denominator;
    }

    private ScreeningMatch Explain(ScreeningQuery query, NormalizedName name, float[] weights, int e, int n, double score)
    {
        ListEntity entity = Entity(e);
        IndexedName candidate = Indexed(n);
        var nameExplanation = new List<NameScoreExplanation>(1);
        double nameScore = NameScorer.Score(name, weights, candidate.Name, candidate.Weights, nameExplanation);
        var features = new List<ScoreFeature>();
        if (_nameWeak[n])
        {
            features.Add(new ScoreFeature("weak-alias", -(nameScore * (1 - EntityFeatures.WeakAliasFactor)), "matched a weak alias"));
        }

        EntityFeatures.Adjust(query, name, entity, features);
        var explanation = new MatchExplanation(NameScorer.Algorithm, nameScore, nameExplanation[0], features);
        ListEntity[] listings = Listings(e, query);
        ListEntity gravest = listings[0];
        return new ScreeningMatch(gravest.ListId, gravest.EntityId, gravest.PrimaryName, _nameSources[n], score, explanation, gravest, listings);
    }

    /// <summary>Per-thread working memory, so a query allocates little beyond its results.</summary>
    private sealed class Scratch
    {
        // The query that last reached each name and through which query tokens, together: one cache line per name.
        private readonly (int Stamp, uint Mask)[] _nameReach;
        private readonly int[] _entityStamps;
        private readonly int[] _entityBestName;
        private readonly double[] _entityBestScore;
        private int _nameStamp;
        private int _entityStamp;

        public Scratch(int names, int entities, NearScratch tokens, NearScratch joined)
        {
            _nameReach = new (int Stamp, uint Mask)[names];
            _entityStamps = new int[entities];
            _entityBestName = new int[entities];
            _entityBestScore = new double[entities];
            Tokens = tokens;
            Joined = joined;
        }

        public NearScratch Tokens { get; }

        public NearScratch Joined { get; }

        public List<int> Candidates { get; } = [];

        public List<int> Entities { get; } = [];

        public void NextQuery()
        {
            _nameStamp++;
            Candidates.Clear();
        }

        /// <summary>Marks a name reached through relations that do not bound its score (joined or original-script forms).</summary>
        public const uint Unbounded = 1u << 31;

        // Compiled optimised at once, not first unoptimised and later again: the loops of a batch's first queries otherwise run
        // unoptimised until tiering promotes them, which takes longer the busier the machine (docs/benchmarks.md, screen-speed2).
        [MethodImpl(HotPath.Compile)]
        public void AddNames(ReadOnlySpan<int> names, uint queryTokens)
        {
            foreach (int n in names)
            {
                ref (int Stamp, uint Mask) reach = ref _nameReach[n];
                if (reach.Stamp != _nameStamp)
                {
                    reach = (_nameStamp, queryTokens);
                    Candidates.Add(n);
                }
                else
                {
                    reach.Mask |= queryTokens;
                }
            }
        }

        /// <summary>The query tokens (bits) through which a candidate name was reached.</summary>
        public uint MaskOf(int name) => _nameReach[name].Mask;

        public void NextEntities()
        {
            _entityStamp++;
            Entities.Clear();
            _maskBounds.AsSpan().Fill(double.NaN);
        }

        /// <summary>Masks below this (the first eight query tokens, not <see cref="Unbounded"/>) have their bound kept.</summary>
        public const uint KeptMaskBounds = 256;

        private readonly double[] _maskBounds = new double[KeptMaskBounds];

        /// <summary>The kept bound of a mask below <see cref="KeptMaskBounds"/> for the query being ranked; NaN until computed.</summary>
        public ref double KeptMaskBound(uint mask) => ref _maskBounds[mask];

        // Compiled optimised at once (see Scratch.AddNames).
        [MethodImpl(HotPath.Compile)]
        public void Offer(int entity, int name, double score)
        {
            if (_entityStamps[entity] != _entityStamp)
            {
                _entityStamps[entity] = _entityStamp;
                _entityBestName[entity] = name;
                _entityBestScore[entity] = score;
                Entities.Add(entity);
            }
            else if (score > _entityBestScore[entity] || (score == _entityBestScore[entity] && name < _entityBestName[entity]))
            {
                _entityBestName[entity] = name;
                _entityBestScore[entity] = score;
            }
        }

        public (int Name, double Score) Best(int entity) => (_entityBestName[entity], _entityBestScore[entity]);
    }
}

/// <summary>A normalised list name with the weight of each of its tokens.</summary>
internal sealed record IndexedName(NormalizedName Name, float[] Weights);

/// <summary>What the candidate loop of <see cref="ScreeningIndex"/> reads of a name before it scores it.</summary>
/// <param name="Entity">The entry the name belongs to.</param>
/// <param name="Kind">The entry's kind.</param>
/// <param name="HasInitial">The name has an initial (never pruned by the bound).</param>
/// <param name="Weak">The name is a weak alias.</param>
/// <param name="MaxWeight">The largest token weight of the name.</param>
/// <param name="TotalWeight">The sum of its token weights.</param>
/// <param name="LeftoverWeight">The least its tokens cost left unmatched, per unit of the list factor.</param>
internal readonly record struct CandidateFacts(
    int Entity, EntityKind Kind, bool HasInitial, bool Weak, float MaxWeight, float TotalWeight, float LeftoverWeight);
