namespace Clearance.Screening.Matching;

/// <summary>
/// A set of distinct keys (tokens or joined names) with postings to the names that contain them, and a
/// padded-bigram index over the keys that finds every key within a given edit distance of a probe.
/// The filter is exact, not heuristic: one edit (substitution, insertion, deletion or adjacent
/// transposition) removes at most three bigram occurrences, so a key k edits away still shares all but
/// at most 3k of the probe's distinct bigrams. Postings are stored flat (one array and start offsets),
/// so that a snapshot reads them back as a few bulk copies.
/// </summary>
internal sealed class FuzzyKeyIndex
{
    private readonly Dictionary<string, int> _ids;
    private readonly int[] _postingStarts;
    private readonly int[] _postingNames;

    // Bigram buckets: (bigram, key length) → the ids of the keys of that length containing the bigram.
    private readonly Dictionary<long, int> _buckets;
    private readonly long[] _bucketCodes;
    private readonly int[] _bucketStarts;
    private readonly int[] _bucketKeys;

    private FuzzyKeyIndex(string[] keys, int[] postingStarts, int[] postingNames, long[] bucketCodes, int[] bucketStarts, int[] bucketKeys)
    {
        Keys = keys;
        _postingStarts = postingStarts;
        _postingNames = postingNames;
        _bucketCodes = bucketCodes;
        _bucketStarts = bucketStarts;
        _bucketKeys = bucketKeys;
        _ids = new Dictionary<string, int>(keys.Length, StringComparer.Ordinal);
        for (int id = 0; id < keys.Length; id++)
        {
            _ids.Add(keys[id], id);
        }

        _buckets = new Dictionary<long, int>(bucketCodes.Length);
        for (int b = 0; b < bucketCodes.Length; b++)
        {
            _buckets.Add(bucketCodes[b], b);
        }
    }

    /// <summary>The keys, in ordinal order; a key's id is its position.</summary>
    public string[] Keys { get; }

    /// <summary>Builds the index of the given keys and their postings (name ids, ascending, possibly repeated).</summary>
    public static FuzzyKeyIndex Build(Dictionary<string, List<int>> postings)
    {
        string[] keys = [.. postings.Keys.Order(StringComparer.Ordinal)];
        var postingStarts = new int[keys.Length + 1];
        var postingNames = new List<int>();
        var bigramLists = new Dictionary<long, List<int>>();
        var seen = new HashSet<int>();
        Span<int> codes = stackalloc int[256];
        for (int id = 0; id < keys.Length; id++)
        {
            string key = keys[id];
            postingStarts[id] = postingNames.Count;
            postingNames.AddRange(postings[key].Distinct().Order());
            seen.Clear();
            Span<int> keyCodes = key.Length + 1 <= codes.Length ? codes : new int[key.Length + 1];
            int n = 0;
            BigramsInto(key, keyCodes, ref n);
            foreach (int code in keyCodes[..n])
            {
                if (!seen.Add(code))
                {
                    continue;
                }

                long bucket = Bucket(code, key.Length);
                if (!bigramLists.TryGetValue(bucket, out var list))
                {
                    bigramLists[bucket] = list = [];
                }

                list.Add(id);
            }
        }

        postingStarts[keys.Length] = postingNames.Count;
        long[] bucketCodes = [.. bigramLists.Keys.Order()];
        var bucketStarts = new int[bucketCodes.Length + 1];
        var bucketKeys = new List<int>();
        for (int b = 0; b < bucketCodes.Length; b++)
        {
            bucketStarts[b] = bucketKeys.Count;
            bucketKeys.AddRange(bigramLists[bucketCodes[b]]);
        }

        bucketStarts[bucketCodes.Length] = bucketKeys.Count;
        return new FuzzyKeyIndex(keys, postingStarts, [.. postingNames], bucketCodes, bucketStarts, [.. bucketKeys]);
    }

    /// <summary>The ids of the names containing the key, ascending.</summary>
    public ReadOnlySpan<int> Postings(int id) => _postingNames.AsSpan(_postingStarts[id], _postingStarts[id + 1] - _postingStarts[id]);

    /// <summary>The number of names containing the key.</summary>
    public int PostingCount(int id) => _postingStarts[id + 1] - _postingStarts[id];

    public bool TryGetId(string key, out int id) => _ids.TryGetValue(key, out id);

    /// <summary>Writes the index to a snapshot.</summary>
    public void Write(SnapshotWriter writer)
    {
        writer.WriteStrings(Keys);
        writer.WriteInts(_postingStarts);
        writer.WriteInts(_postingNames);
        writer.WriteLongs(_bucketCodes);
        writer.WriteInts(_bucketStarts);
        writer.WriteInts(_bucketKeys);
    }

    /// <summary>Reads an index written by <see cref="Write"/>, checking that every offset and id is in range.</summary>
    public static FuzzyKeyIndex Read(SnapshotReader reader, int nameCount)
    {
        string[] keys = reader.ReadStrings();
        int[] postingStarts = reader.ReadInts();
        int[] postingNames = reader.ReadInts();
        long[] bucketCodes = reader.ReadLongs();
        int[] bucketStarts = reader.ReadInts();
        int[] bucketKeys = reader.ReadInts();
        SnapshotReader.CheckOffsets(postingStarts, keys.Length, postingNames.Length);
        SnapshotReader.CheckRange(postingNames, nameCount);
        SnapshotReader.CheckOffsets(bucketStarts, bucketCodes.Length, bucketKeys.Length);
        SnapshotReader.CheckRange(bucketKeys, keys.Length);
        return new FuzzyKeyIndex(keys, postingStarts, postingNames, bucketCodes, bucketStarts, bucketKeys);
    }

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
        Span<int> codes = probe.Length < 256 ? stackalloc int[probe.Length + 1] : new int[probe.Length + 1];
        int n = 0;
        BigramsInto(probe, codes, ref n);
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
        Span<int> sizes = distinct <= 256 ? stackalloc int[distinct] : new int[distinct];
        for (int i = 0; i < distinct; i++)
        {
            int size = 0;
            for (int length = minLength; length <= maxLength; length++)
            {
                size += BucketKeys(codes[i], length).Length;
            }

            sizes[i] = size;
        }

        sizes.Sort(codes);
        int prefix = Math.Min(distinct, (3 * maxEdits) + 1);
        for (int i = 0; i < prefix; i++)
        {
            for (int length = minLength; length <= maxLength && sizes[i] > 0; length++)
            {
                foreach (int id in BucketKeys(codes[i], length))
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

    private ReadOnlySpan<int> BucketKeys(int bigram, int length) =>
        _buckets.TryGetValue(Bucket(bigram, length), out int b)
            ? _bucketKeys.AsSpan(_bucketStarts[b], _bucketStarts[b + 1] - _bucketStarts[b])
            : [];

    private static long Bucket(int bigram, int length) => ((long)bigram << 16) | (uint)Math.Min(length, 0xFFFF);

    private static void BigramsInto(string s, Span<int> codes, ref int n)
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
