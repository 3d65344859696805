namespace Clearance.Screening.Matching;

/// <summary>
/// A set of distinct keys (tokens or joined names) with postings to the names that contain them, and a
/// padded-bigram index over the keys that finds every key within a given edit distance of a probe.
/// The filter is exact, not heuristic: one edit (substitution, insertion, deletion or adjacent
/// transposition) removes at most three bigram occurrences, so two strings k edits apart share at least
/// (distinct bigrams of either) − 3k distinct bigrams; keys below that count are skipped unverified.
/// </summary>
internal sealed class FuzzyKeyIndex
{
    private readonly Dictionary<string, int> _ids;
    private readonly Dictionary<int, int[]> _bigramKeys;

    public FuzzyKeyIndex(Dictionary<string, List<int>> postings)
    {
        Keys = [.. postings.Keys.Order(StringComparer.Ordinal)];
        _ids = new Dictionary<string, int>(Keys.Length, StringComparer.Ordinal);
        Postings = new int[Keys.Length][];
        BigramCounts = new int[Keys.Length];
        var bigramLists = new Dictionary<int, List<int>>();
        var seen = new HashSet<int>();
        for (int id = 0; id < Keys.Length; id++)
        {
            string key = Keys[id];
            _ids[key] = id;
            Postings[id] = [.. postings[key].Distinct().Order()];
            seen.Clear();
            ForEachBigram(key, code => seen.Add(code));
            BigramCounts[id] = seen.Count;
            foreach (int code in seen)
            {
                if (!bigramLists.TryGetValue(code, out var list))
                {
                    bigramLists[code] = list = [];
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

    /// <summary>For each key id, its number of distinct padded bigrams.</summary>
    public int[] BigramCounts { get; }

    public bool TryGetId(string key, out int id) => _ids.TryGetValue(key, out id);

    /// <summary>
    /// Calls <paramref name="onKey"/> for every key whose edit distance to <paramref name="probe"/> is within
    /// <paramref name="allowedEdits"/>(length of the longer), the probe itself excepted.
    /// </summary>
    public void ForEachNear(string probe, Func<int, int> allowedEdits, int[] counts, int[] stamps, ref int stamp, List<int> touched, Action<int> onKey)
    {
        stamp++;
        touched.Clear();
        int currentStamp = stamp;
        int probeBigrams = 0;
        Span<int> codes = stackalloc int[probe.Length + 1];
        int n = 0;
        ForEachBigramInto(probe, codes, ref n);
        codes = codes[..n];
        codes.Sort();
        int previous = -1;
        foreach (int code in codes)
        {
            if (code == previous)
            {
                continue;
            }

            previous = code;
            probeBigrams++;
            if (!_bigramKeys.TryGetValue(code, out int[]? keys))
            {
                continue;
            }

            foreach (int id in keys)
            {
                if (stamps[id] != currentStamp)
                {
                    stamps[id] = currentStamp;
                    counts[id] = 0;
                    touched.Add(id);
                }

                counts[id]++;
            }
        }

        foreach (int id in touched)
        {
            string key = Keys[id];
            int k = allowedEdits(Math.Max(key.Length, probe.Length));
            if (k == 0 || Math.Abs(key.Length - probe.Length) > k)
            {
                continue;
            }

            if (counts[id] < Math.Max(probeBigrams, BigramCounts[id]) - (3 * k))
            {
                continue;
            }

            if (StringSimilarity.BoundedEditDistance(probe, key, k) <= k && !string.Equals(probe, key, StringComparison.Ordinal))
            {
                onKey(id);
            }
        }
    }

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
