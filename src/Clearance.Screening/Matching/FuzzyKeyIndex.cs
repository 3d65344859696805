namespace Clearance.Screening.Matching;

/// <summary>
/// A set of distinct keys (tokens or joined names) with postings to the names that contain them, and a
/// padded-bigram index over the keys that finds every key within a given edit distance of a probe.
/// The filter is exact, not heuristic: one edit (substitution, insertion, deletion or adjacent
/// transposition) removes at most three bigram occurrences, so a key k edits away still shares all but
/// at most 3k of the probe's distinct bigrams.
/// </summary>
internal sealed class FuzzyKeyIndex
{
    private readonly Dictionary<string, int> _ids;
    private readonly Dictionary<long, int[]> _bigramKeys;

    public FuzzyKeyIndex(Dictionary<string, List<int>> postings)
    {
        Keys = [.. postings.Keys.Order(StringComparer.Ordinal)];
        _ids = new Dictionary<string, int>(Keys.Length, StringComparer.Ordinal);
        Postings = new int[Keys.Length][];
        var bigramLists = new Dictionary<long, List<int>>();
        var seen = new HashSet<int>();
        for (int id = 0; id < Keys.Length; id++)
        {
            string key = Keys[id];
            _ids[key] = id;
            Postings[id] = [.. postings[key].Distinct().Order()];
            seen.Clear();
            ForEachBigram(key, code => seen.Add(code));
            foreach (int code in seen)
            {
                long bucket = Bucket(code, key.Length);
                if (!bigramLists.TryGetValue(bucket, out var list))
                {
                    bigramLists[bucket] = list = [];
                }

                list.Add(id);
            }
        }

        _bigramKeys = bigramLists.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray());
    }

    /// <summary>The keys, in ordinal order; a key's id is its position.</summary>
    public string[] Keys { get; }

    /// <summary>For each key id, the ids of the names containing it, ascending.</summary>
    public int[][] Postings { get; }

    public bool TryGetId(string key, out int id) => _ids.TryGetValue(key, out id);

    /// <summary>
    /// Fills <paramref name="found"/> with every key whose edit distance to <paramref name="probe"/> is within
    /// <paramref name="allowedEdits"/>(length of the longer), the probe itself excepted. Prefix filter:
    /// a key k edits away misses at most 3k of the probe's distinct bigrams, so it contains at least one
    /// of any 3k + 1 of them; only the postings of the 3k + 1 rarest are read, and each key found is
    /// verified with the bounded edit distance. Postings are kept per key length, so only keys whose
    /// length is within the allowed edits of the probe's are read.
    /// </summary>
    public void ForEachNear(string probe, Func<int, int> allowedEdits, int[] stamps, ref int stamp, List<int> found)
    {
        found.Clear();
        // Edits allowed never exceed 2 and grow with length, so no key is allowed more than this.
        int maxEdits = allowedEdits(probe.Length + 2);
        if (maxEdits == 0)
        {
            return;
        }

        stamp++;
        int currentStamp = stamp;
        Span<int> codes = stackalloc int[probe.Length + 1];
        int n = 0;
        ForEachBigramInto(probe, codes, ref n);
        codes = codes[..n];
        codes.Sort();
        int distinct = 0;
        for (int i = 0; i < codes.Length; i++)
        {
            if (i == 0 || codes[i] != codes[i - 1])
            {
                codes[distinct++] = codes[i];
            }
        }

        codes = codes[..distinct];
        int minLength = Math.Max(1, probe.Length - maxEdits);
        int maxLength = probe.Length + maxEdits;
        Span<int> sizes = stackalloc int[distinct];
        for (int i = 0; i < distinct; i++)
        {
            int size = 0;
            for (int length = minLength; length <= maxLength; length++)
            {
                size += _bigramKeys.TryGetValue(Bucket(codes[i], length), out int[]? keys) ? keys.Length : 0;
            }

            sizes[i] = size;
        }

        sizes.Sort(codes);
        int prefix = Math.Min(distinct, (3 * maxEdits) + 1);
        for (int i = 0; i < prefix; i++)
        {
            for (int length = minLength; length <= maxLength && sizes[i] > 0; length++)
            {
                if (!_bigramKeys.TryGetValue(Bucket(codes[i], length), out int[]? keys))
                {
                    continue;
                }

                foreach (int id in keys)
                {
                    if (stamps[id] == currentStamp)
                    {
                        continue;
                    }

                    stamps[id] = currentStamp;
                    string key = Keys[id];
                    int k = allowedEdits(Math.Max(key.Length, probe.Length));
                    if (k == 0 || Math.Abs(key.Length - probe.Length) > k)
                    {
                        continue;
                    }

                    if (StringSimilarity.BoundedEditDistance(probe, key, k) <= k && !string.Equals(probe, key, StringComparison.Ordinal))
                    {
                        found.Add(id);
                    }
                }
            }
        }
    }

    private static long Bucket(int bigram, int length) => ((long)bigram << 16) | (uint)Math.Min(length, 0xFFFF);

    private static void ForEachBigram(string s, Action<int> add)
    {
        char previous = '^';
        foreach (char c in s)
        {
            add((previous << 16) | c);
            previous = c;
        }

        add((previous << 16) | '$');
    }

    private static void ForEachBigramInto(string s, Span<int> codes, ref int n)
    {
        char previous = '^';
        foreach (char c in s)
        {
            codes[n++] = (previous << 16) | c;
            previous = c;
        }

        codes[n++] = (previous << 16) | '$';
    }
}
