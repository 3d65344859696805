namespace Clearance.Screening.Matching;

/// <summary>
/// A set of distinct keys (tokens or joined names) with postings to the names that contain them, and a
/// padded q-gram index (bigrams for words, trigrams for the longer joined names) over the keys that finds every
/// key within a given edit distance of a probe. The filter is exact, not heuristic: one edit (substitution,
/// insertion, deletion or adjacent transposition) removes at most q + 1 gram occurrences, so a key k edits away
/// still shares all but at most (q + 1)k of the probe's distinct grams. Postings are stored flat (one array and start offsets),
/// so that a snapshot reads them back as a few bulk copies.
/// </summary>
internal sealed class FuzzyKeyIndex
{
    private readonly int _gramLength;
    private readonly Dictionary<string, int> _ids;
    private readonly int[] _postingStarts;
    private readonly int[] _postingNames;

    // Gram buckets: (gram, key length) → the keys of that length with the gram, and its position in each, by position.
    private readonly Dictionary<long, int> _buckets;
    private readonly long[] _bucketCodes;
    private readonly int[] _bucketStarts;
    private readonly int[] _bucketKeys;

    // The position of the gram in each bucket entry; a bucket's entries are ordered by position.
    private readonly int[] _bucketPositions;

    private FuzzyKeyIndex(
        int gramLength, string[] keys, int[] postingStarts, int[] postingNames, long[] bucketCodes, int[] bucketStarts, int[] bucketKeys,
        int[] bucketPositions)
    {
        _gramLength = gramLength;
        Keys = keys;
        _postingStarts = postingStarts;
        _postingNames = postingNames;
        _bucketCodes = bucketCodes;
        _bucketStarts = bucketStarts;
        _bucketKeys = bucketKeys;
        _bucketPositions = bucketPositions;
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
    /// <param name="postings">Each key with the names that contain it.</param>
    /// <param name="gramLength">2 (bigrams) or 3 (trigrams): longer grams are rarer, so fewer keys are verified.</param>
    public static FuzzyKeyIndex Build(Dictionary<string, List<int>> postings, int gramLength)
    {
        string[] keys = [.. postings.Keys.Order(StringComparer.Ordinal)];
        var postingStarts = new int[keys.Length + 1];
        var postingNames = new List<int>();
        var gramLists = new Dictionary<long, List<(int Position, int Key)>>();
        Span<int> codes = stackalloc int[256];
        for (int id = 0; id < keys.Length; id++)
        {
            string key = keys[id];
            postingStarts[id] = postingNames.Count;
            postingNames.AddRange(postings[key].Distinct().Order());
            Span<int> keyCodes = key.Length + 1 <= codes.Length ? codes : new int[key.Length + 1];
            int n = 0;
            GramsInto(key, gramLength, keyCodes, ref n);
            for (int position = 0; position < n; position++)
            {
                long bucket = Bucket(keyCodes[position], key.Length);
                if (!gramLists.TryGetValue(bucket, out var list))
                {
                    gramLists[bucket] = list = [];
                }

                list.Add((position, id));
            }
        }

        postingStarts[keys.Length] = postingNames.Count;
        long[] bucketCodes = [.. gramLists.Keys.Order()];
        var bucketStarts = new int[bucketCodes.Length + 1];
        var bucketKeys = new List<int>();
        var bucketPositions = new List<int>();
        for (int b = 0; b < bucketCodes.Length; b++)
        {
            bucketStarts[b] = bucketKeys.Count;
            foreach ((int position, int key) in gramLists[bucketCodes[b]].Order())
            {
                bucketPositions.Add(position);
                bucketKeys.Add(key);
            }
        }

        bucketStarts[bucketCodes.Length] = bucketKeys.Count;
        return new FuzzyKeyIndex(gramLength, keys, postingStarts, [.. postingNames], bucketCodes, bucketStarts, [.. bucketKeys], [.. bucketPositions]);
    }

    /// <summary>The ids of the names containing the key, ascending.</summary>
    public ReadOnlySpan<int> Postings(int id) => _postingNames.AsSpan(_postingStarts[id], _postingStarts[id + 1] - _postingStarts[id]);

    /// <summary>The number of names containing the key.</summary>
    public int PostingCount(int id) => _postingStarts[id + 1] - _postingStarts[id];

    public bool TryGetId(string key, out int id) => _ids.TryGetValue(key, out id);

    /// <summary>Writes the index to a snapshot.</summary>
    public void Write(SnapshotWriter writer)
    {
        writer.WriteCount(_gramLength);
        writer.WriteStrings(Keys);
        writer.WriteInts(_postingStarts);
        writer.WriteInts(_postingNames);
        writer.WriteLongs(_bucketCodes);
        writer.WriteInts(_bucketStarts);
        writer.WriteInts(_bucketKeys);
        writer.WriteInts(_bucketPositions);
    }

    /// <summary>Reads an index written by <see cref="Write"/>, checking that every offset and id is in range.</summary>
    public static FuzzyKeyIndex Read(SnapshotReader reader, int nameCount)
    {
        int gramLength = reader.ReadCount();
        if (gramLength is not (2 or 3))
        {
            throw SnapshotReader.Corrupt("bad gram length");
        }

        string[] keys = reader.ReadStrings();
        int[] postingStarts = reader.ReadInts();
        int[] postingNames = reader.ReadInts();
        long[] bucketCodes = reader.ReadLongs();
        int[] bucketStarts = reader.ReadInts();
        int[] bucketKeys = reader.ReadInts();
        int[] bucketPositions = reader.ReadInts();
        if (bucketPositions.Length != bucketKeys.Length)
        {
            throw SnapshotReader.Corrupt("bucket tables differ in length");
        }

        SnapshotReader.CheckOffsets(postingStarts, keys.Length, postingNames.Length);
        SnapshotReader.CheckRange(postingNames, nameCount);
        SnapshotReader.CheckOffsets(bucketStarts, bucketCodes.Length, bucketKeys.Length);
        SnapshotReader.CheckRange(bucketKeys, keys.Length);
        return new FuzzyKeyIndex(gramLength, keys, postingStarts, postingNames, bucketCodes, bucketStarts, bucketKeys, bucketPositions);
    }

    /// <summary>
    /// Fills <see cref="NearScratch.Found"/> with every key whose edit distance to <paramref name="probe"/> is within
    /// <paramref name="allowedEdits"/>(length of the longer), the probe itself excepted. Positional count filter: k edits
    /// (substitution, insertion, deletion, adjacent transposition) destroy at most (q + 1)k of the probe's G gram
    /// occurrences, and every other occurrence is found in the key at most k positions away. So the entries of the
    /// buckets (gram, key length) within k positions of each probe gram are read, the hits of each key counted, and only
    /// a key reaching G − (q + 1)k hits is verified with the bounded edit distance. A probe too short for the bound to
    /// say anything is compared with every key.
    /// </summary>
    public void ForEachNear(string probe, Func<int, int> allowedEdits, NearScratch scratch)
    {
        List<int> found = scratch.Found;
        found.Clear();
        // Edits allowed never exceed 2 and grow with length, so no key is allowed more than this.
        int maxEdits = allowedEdits(probe.Length + 2);
        if (maxEdits == 0)
        {
            return;
        }

        int stamp = ++scratch.Stamp;
        int[] stamps = scratch.Stamps;
        int[] counts = scratch.Counts;
        Span<int> codes = probe.Length < 256 ? stackalloc int[probe.Length + 1] : new int[probe.Length + 1];
        int n = 0;
        GramsInto(probe, _gramLength, codes, ref n);
        int required = n - ((_gramLength + 1) * maxEdits);
        if (required < 1)
        {
            for (int id = 0; id < Keys.Length; id++)
            {
                Verify(id);
            }

            return;
        }

        int minLength = Math.Max(1, probe.Length - maxEdits);
        int maxLength = probe.Length + maxEdits;
        for (int i = 0; i < n; i++)
        {
            for (int length = minLength; length <= maxLength; length++)
            {
                if (!_buckets.TryGetValue(Bucket(codes[i], length), out int b))
                {
                    continue;
                }

                int end = _bucketStarts[b + 1];
                int e = FirstAtOrAfter(_bucketPositions, _bucketStarts[b], end, i - maxEdits);

                for (; e < end && _bucketPositions[e] <= i + maxEdits; e++)
                {
                    int id = _bucketKeys[e];
                    int count = stamps[id] == stamp ? counts[id] + 1 : 1;
                    stamps[id] = stamp;
                    counts[id] = count;
                    if (count == required)
                    {
                        Verify(id);
                    }
                }
            }
        }

        void Verify(int id)
        {
            string key = Keys[id];
            int k = allowedEdits(Math.Max(key.Length, probe.Length));
            if (k == 0 || Math.Abs(key.Length - probe.Length) > k)
            {
                return;
            }

            if (StringSimilarity.BoundedEditDistance(probe, key, k) <= k && !string.Equals(probe, key, StringComparison.Ordinal))
            {
                found.Add(id);
            }
        }
    }

    /// <summary>Per-thread working memory of <see cref="ForEachNear"/> for one index.</summary>
    public NearScratch CreateScratch() => new(Keys.Length);

    /// <summary>The first index in [start, end) of the ascending <paramref name="values"/> whose value is at least <paramref name="value"/>.</summary>
    private static int FirstAtOrAfter(int[] values, int start, int end, int value)
    {
        while (start < end)
        {
            int middle = start + ((end - start) >> 1);
            if (values[middle] < value)
            {
                start = middle + 1;
            }
            else
            {
                end = middle;
            }
        }

        return start;
    }

    private static long Bucket(int gram, int length) => ((long)(uint)gram << 16) | (uint)Math.Min(length, 0xFFFF);

    /// <summary>
    /// The q-grams of ^s$ (bigrams: s.Length + 1 of them; trigrams: s.Length), each as a number. Distinct grams may share
    /// a number; that only adds keys to verify.
    /// </summary>
    private static void GramsInto(string s, int q, Span<int> codes, ref int n)
    {
        int padded = s.Length + 2;
        for (int i = 0; i + q <= padded; i++)
        {
            int code = 0;
            for (int j = i; j < i + q; j++)
            {
                char c = j == 0 ? '^' : j == padded - 1 ? '$' : s[j - 1];
                code = q == 2 ? (code << 16) | c : (code * 0x3FF) + c;
            }

            codes[n++] = code;
        }
    }
}

/// <summary>Per-thread working memory of <see cref="FuzzyKeyIndex.ForEachNear"/>: gram counts per key, and the keys found.</summary>
internal sealed class NearScratch(int keys)
{
    /// <summary>The query each count belongs to; a count from an earlier query is stale.</summary>
    public int[] Stamps { get; } = new int[keys];

    public int[] Counts { get; } = new int[keys];

    public int Stamp { get; set; }

    public List<int> Found { get; } = [];
}
