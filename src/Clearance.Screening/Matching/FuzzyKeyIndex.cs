using System.Runtime.CompilerServices;

namespace Clearance.Screening.Matching;

/// <summary>
/// A set of distinct keys (tokens or joined names) with postings to the names that contain them, and a
/// padded q-gram index (bigrams for words, trigrams for the longer joined names) over the keys that finds every
/// key within a given edit distance of a probe. The filter is exact, not heuristic: one edit (substitution,
/// insertion, deletion or adjacent transposition) removes at most q + 1 gram occurrences, so a key k edits away
/// still shares all but at most (q + 1)k of the probe's distinct grams. Postings and gram buckets are stored flat (one
/// table and start offsets), so that a mapped snapshot's tables are read in place (<see cref="SnapshotTable{T}"/>):
/// copying them out was a third of what a recheck's first check spent opening the index.
/// </summary>
internal sealed class FuzzyKeyIndex
{
    private readonly int _gramLength;
    private readonly SortedKeys _keys;
    private readonly SnapshotTable<int> _postingStarts;
    private readonly SnapshotTable<int> _postingNames;

    // Gram buckets: (gram, key length) → the keys of that length with the gram, and its position in each, by position.
    // The codes are ascending, so the buckets of one gram are adjacent, by length; a gram maps to the first of them, so a
    // probe gram costs one lookup in a map small enough to stay in cache, not one per key length in a map of every bucket.
    // Built when the keys' map is (SortedKeys): until then a gram's first bucket is found by binary search in the codes.
    private Dictionary<int, int>? _gramFirstBucket;
    private readonly SnapshotTable<long> _bucketCodes;
    private readonly SnapshotTable<int> _bucketStarts;
    private readonly SnapshotTable<int> _bucketKeys;

    // The position of the gram in each bucket entry; a bucket's entries are ordered by position.
    private readonly SnapshotTable<int> _bucketPositions;

    private FuzzyKeyIndex(
        int gramLength, SnapshotStrings keys, SnapshotTable<int> postingStarts, SnapshotTable<int> postingNames, SnapshotTable<long> bucketCodes,
        SnapshotTable<int> bucketStarts, SnapshotTable<int> bucketKeys, SnapshotTable<int> bucketPositions)
    {
        _gramLength = gramLength;
        _keys = new SortedKeys(keys);
        _postingStarts = postingStarts;
        _postingNames = postingNames;
        _bucketCodes = bucketCodes;
        _bucketStarts = bucketStarts;
        _bucketKeys = bucketKeys;
        _bucketPositions = bucketPositions;
        ReadOnlySpan<long> codes = bucketCodes.Span;
        for (int b = 1; b < codes.Length; b++)
        {
            if (codes[b] <= codes[b - 1])
            {
                throw SnapshotReader.Corrupt("bucket codes not ascending");
            }
        }
    }

    /// <summary>The number of keys; a key's id is its position in ordinal order.</summary>
    public int KeyCount => _keys.Count;

    /// <summary>The key with id <paramref name="id"/>.</summary>
    public string Key(int id) => _keys[id];

    /// <summary>Whether lookups go through hash maps now (<see cref="SortedKeys.Hashed"/>), not binary search in the tables.</summary>
    internal bool Hashed => _keys.Hashed;

    /// <summary>Builds the index of the given keys and their postings (name ids, ascending, possibly repeated).</summary>
    /// <param name="postings">Each key with the names that contain it.</param>
    /// <param name="gramLength">2 (bigrams) or 3 (trigrams): longer grams are rarer, so fewer keys are verified.</param>
    public static FuzzyKeyIndex Build(Dictionary<string, List<int>> postings, int gramLength)
    {
        // Plain loops and sorts of numbers rather than LINQ over ints and tuples: a recheck builds a small index in a short
        // process, and each such instantiation was compiled at run time there. A bucket entry (position, key) is one
        // number, position high: ordered as the pairs are (both are non-negative).
        string[] keys = [.. postings.Keys.Order(StringComparer.Ordinal)];
        var postingStarts = new int[keys.Length + 1];
        var postingNames = new List<int>();
        var gramLists = new Dictionary<long, List<long>>();
        Span<int> codes = stackalloc int[256];
        for (int id = 0; id < keys.Length; id++)
        {
            string key = keys[id];
            postingStarts[id] = postingNames.Count;
            postingNames.AddRange(SortedDistinct(postings[key], distinct: true));
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

                list.Add(((long)position << 32) | (uint)id);
            }
        }

        postingStarts[keys.Length] = postingNames.Count;
        long[] bucketCodes = [.. gramLists.Keys];
        Array.Sort(bucketCodes);
        var bucketStarts = new int[bucketCodes.Length + 1];
        var bucketKeys = new List<int>();
        var bucketPositions = new List<int>();
        for (int b = 0; b < bucketCodes.Length; b++)
        {
            bucketStarts[b] = bucketKeys.Count;
            long[] entries = [.. gramLists[bucketCodes[b]]];
            Array.Sort(entries);
            foreach (long entry in entries)
            {
                bucketPositions.Add((int)(entry >> 32));
                bucketKeys.Add((int)entry);
            }
        }

        bucketStarts[bucketCodes.Length] = bucketKeys.Count;
        return new FuzzyKeyIndex(
            gramLength, new SnapshotStrings(keys), new(postingStarts), new([.. postingNames]), new(bucketCodes), new(bucketStarts), new([.. bucketKeys]), new([.. bucketPositions]));
    }

    /// <summary>
    /// <paramref name="values"/> in ascending order, each once when <paramref name="distinct"/> (what
    /// <c>Distinct().Order()</c>, or <c>Order()</c>, gives), without LINQ. Postings are built ascending and are then
    /// only copied.
    /// </summary>
    internal static int[] SortedDistinct(List<int> values, bool distinct)
    {
        int[] sorted = [.. values];
        bool ascending = true;
        for (int i = 1; i < sorted.Length && ascending; i++)
        {
            ascending = sorted[i] > sorted[i - 1];
        }

        if (ascending)
        {
            return sorted;
        }

        Array.Sort(sorted);
        if (!distinct)
        {
            return sorted;
        }

        int kept = 0;
        for (int i = 0; i < sorted.Length; i++)
        {
            if (kept == 0 || sorted[i] != sorted[kept - 1])
            {
                sorted[kept++] = sorted[i];
            }
        }

        return sorted[..kept];
    }

    /// <summary>
    /// The ids of the names containing the key, ascending. The span may point into a mapped snapshot: the caller keeps this
    /// index alive while it reads it.
    /// </summary>
    public ReadOnlySpan<int> Postings(int id)
    {
        ReadOnlySpan<int> starts = _postingStarts.Span;
        return _postingNames.Span[starts[id]..starts[id + 1]];
    }

    /// <summary>The number of names containing the key.</summary>
    public int PostingCount(int id)
    {
        ReadOnlySpan<int> starts = _postingStarts.Span;
        return starts[id + 1] - starts[id];
    }

    /// <summary>The id of <paramref name="key"/>, when it is a key of the index.</summary>
    public bool TryGetId(string key, out int id) => _keys.TryGetId(key, out id);

    /// <summary>The first gram bucket of <paramref name="gram"/> (its buckets are adjacent, by key length), when it has any.</summary>
    private bool TryGetFirstBucket(int gram, out int bucket)
    {
        if ((Volatile.Read(ref _gramFirstBucket) ?? (_keys.Hashed ? BuildFirstBuckets() : null)) is { } firstBuckets)
        {
            return firstBuckets.TryGetValue(gram, out bucket);
        }

        return TryFindFirstBucket(gram, out bucket);
    }

    /// <summary>The first gram bucket of <paramref name="gram"/> by binary search in the ascending codes (a gram's code is their high part).</summary>
    internal bool TryFindFirstBucket(int gram, out int bucket)
    {
        ReadOnlySpan<long> codes = _bucketCodes.Span;
        int first = FirstAtOrAfter(codes, 0, codes.Length, Bucket(gram, 0));
        bucket = first;
        bool found = first < codes.Length && GramOf(codes[first]) == gram;
        GC.KeepAlive(this); // the codes may be in a mapped snapshot, which this index keeps mapped
        return found;
    }

    private Dictionary<int, int> BuildFirstBuckets()
    {
        // Built by one thread or several at once: each builds the same map, and one is kept.
        var firstBuckets = new Dictionary<int, int>();
        ReadOnlySpan<long> codes = _bucketCodes.Span;
        for (int b = 0; b < codes.Length; b++)
        {
            if (b == 0 || GramOf(codes[b]) != GramOf(codes[b - 1]))
            {
                firstBuckets.Add(GramOf(codes[b]), b);
            }
        }

        GC.KeepAlive(this);
        return Interlocked.CompareExchange(ref _gramFirstBucket, firstBuckets, null) ?? firstBuckets;
    }

    /// <summary>Writes the index to a snapshot.</summary>
    public void Write(SnapshotWriter writer)
    {
        writer.WriteCount(_gramLength);
        writer.WriteStrings(_keys.ToArray());
        writer.WriteInts(_postingStarts.Span);
        writer.WriteInts(_postingNames.Span);
        writer.WriteLongs(_bucketCodes.Span);
        writer.WriteInts(_bucketStarts.Span);
        writer.WriteInts(_bucketKeys.Span);
        writer.WriteInts(_bucketPositions.Span);
    }

    /// <summary>
    /// Reads an index written by <see cref="Write"/>, checking that every offset and id is in range; its tables are read
    /// in place when <paramref name="reader"/> reads a mapping.
    /// </summary>
    public static FuzzyKeyIndex Read(ref SnapshotReader reader, int nameCount)
    {
        int gramLength = reader.ReadCount();
        if (gramLength is not (2 or 3))
        {
            throw SnapshotReader.Corrupt("bad gram length");
        }

        SnapshotStrings keys = reader.ReadStringTable();
        SnapshotTable<int> postingStarts = reader.ReadTable<int>();
        SnapshotTable<int> postingNames = reader.ReadTable<int>();
        SnapshotTable<long> bucketCodes = reader.ReadTable<long>();
        SnapshotTable<int> bucketStarts = reader.ReadTable<int>();
        SnapshotTable<int> bucketKeys = reader.ReadTable<int>();
        SnapshotTable<int> bucketPositions = reader.ReadTable<int>();
        if (bucketPositions.Length != bucketKeys.Length)
        {
            throw SnapshotReader.Corrupt("bucket tables differ in length");
        }

        SnapshotReader.CheckOffsets(postingStarts.Span, keys.Count, postingNames.Length);
        SnapshotReader.CheckRange(postingNames.Span, nameCount);
        SnapshotReader.CheckOffsets(bucketStarts.Span, bucketCodes.Length, bucketKeys.Length);
        SnapshotReader.CheckRange(bucketKeys.Span, keys.Count);

        return new FuzzyKeyIndex(gramLength, keys, postingStarts, postingNames, bucketCodes, bucketStarts, bucketKeys, bucketPositions);
    }

    /// <summary>
    /// Fills <see cref="NearScratch.Found"/> with every key whose edit distance to <paramref name="probe"/> is within
    /// <paramref name="allowedEdits"/>(length of the longer), the probe itself excepted. Positional count filter, key
    /// length by key length: a key of length L may be k = allowedEdits(max(L, probe length)) edits away, and d = |L − probe
    /// length| of those edits must be insertions (a longer key) or deletions (a shorter one). Of the probe's G gram
    /// occurrences an insertion destroys at most q − 1, a deletion or substitution q, an adjacent transposition q + 1; so a key
    /// within k edits shares at least G − (d·(q − 1 or q) + (k − d)(q + 1)) of them, each shifted by at most the insertions
    /// (rightwards) or deletions (leftwards), of which only (k − d) / 2 can go against the length difference. For each
    /// length the entries of the buckets (gram, L) within that shift of each probe gram are read, the hits of each key
    /// counted, and only a key reaching the required count is verified with the bounded edit distance. A word of 7 letters
    /// thus needs 6 of its 8 bigrams in a key of 9 (two insertions) and 5, at the same positions, in a key of 7; one bound
    /// for every length (2 shared bigrams, 2 positions either way) verified most keys with an edit distance. A length for
    /// which the bound says nothing has every key of that length compared. <see cref="NearByComparingEveryKey"/> is the
    /// plain reference the tests hold this to.
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
        (int Stamp, int Count)[] tallies = scratch.Tallies;
        Span<int> codes = probe.Length < 256 ? stackalloc int[probe.Length + 1] : new int[probe.Length + 1];
        int n = 0;
        GramsInto(probe, _gramLength, codes, ref n);

        // What each key length in reach allows: its edits (0: none of its keys is near), the grams a key of that length
        // must share, and how far a shared gram may have moved.
        int minLength = Math.Max(1, probe.Length - maxEdits);
        int lengths = probe.Length + maxEdits - minLength + 1;
        Span<int> edits = stackalloc int[lengths];
        Span<int> required = stackalloc int[lengths];
        Span<int> lowestShift = stackalloc int[lengths];
        Span<int> highestShift = stackalloc int[lengths];
        for (int slot = 0; slot < lengths; slot++)
        {
            int length = minLength + slot;
            int k = allowedEdits(Math.Max(length, probe.Length));
            int difference = length - probe.Length;
            int lengthEdits = Math.Abs(difference);
            if (k == 0 || lengthEdits > k)
            {
                edits[slot] = 0;
                continue;
            }

            int destroyedByLength = lengthEdits * (difference > 0 ? _gramLength - 1 : _gramLength);
            required[slot] = n - destroyedByLength - ((k - lengthEdits) * (_gramLength + 1));

            // Positions a surviving gram can move by: the insertions rightwards, the deletions leftwards.
            int against = (k - lengthEdits) / 2;
            lowestShift[slot] = Math.Min(0, difference) - against;
            highestShift[slot] = Math.Max(0, difference) + against;
            edits[slot] = k;
            if (required[slot] < 1)
            {
                for (int id = 0; id < _keys.Count; id++)
                {
                    if (Key(id).Length == length)
                    {
                        Verify(id, k);
                    }
                }

                edits[slot] = 0;
            }
        }

        ReadOnlySpan<long> bucketCodes = _bucketCodes.Span;
        ReadOnlySpan<int> bucketStarts = _bucketStarts.Span;
        ReadOnlySpan<int> bucketKeys = _bucketKeys.Span;
        ReadOnlySpan<int> bucketPositions = _bucketPositions.Span;
        for (int i = 0; i < n; i++)
        {
            if (!TryGetFirstBucket(codes[i], out int b))
            {
                continue;
            }

            long first = Bucket(codes[i], minLength);
            long last = first + lengths - 1;
            while (b < bucketCodes.Length && bucketCodes[b] < first)
            {
                b++;
            }

            for (; b < bucketCodes.Length && bucketCodes[b] <= last; b++)
            {
                int slot = (int)(bucketCodes[b] - first);
                int k = edits[slot];
                if (k == 0)
                {
                    continue;
                }

                int end = bucketStarts[b + 1];
                int need = required[slot];
                int highest = i + highestShift[slot];
                for (int e = FirstAtOrAfter(bucketPositions, bucketStarts[b], end, i + lowestShift[slot]); e < end && bucketPositions[e] <= highest; e++)
                {
                    int id = bucketKeys[e];
                    ref (int Stamp, int Count) tally = ref tallies[id];
                    int count = tally.Stamp == stamp ? tally.Count + 1 : 1;
                    tally = (stamp, count);
                    if (count == need)
                    {
                        Verify(id, k);
                    }
                }
            }
        }

        // The spans above may point into a mapped snapshot, which this index keeps mapped.
        GC.KeepAlive(this);

        void Verify(int id, int k)
        {
            string key = Key(id);
            if (StringSimilarity.BoundedEditDistance(probe, key, k) <= k && !string.Equals(probe, key, StringComparison.Ordinal))
            {
                found.Add(id);
            }
        }
    }

    /// <summary>
    /// The keys <see cref="ForEachNear"/> finds, found by comparing the probe with every key: the reference its filter
    /// is tested against, in ascending id order.
    /// </summary>
    public List<int> NearByComparingEveryKey(string probe, Func<int, int> allowedEdits)
    {
        var near = new List<int>();
        for (int id = 0; id < _keys.Count; id++)
        {
            string key = Key(id);
            int k = allowedEdits(Math.Max(key.Length, probe.Length));
            if (k > 0 && StringSimilarity.BoundedEditDistance(probe, key, k) <= k && !string.Equals(probe, key, StringComparison.Ordinal))
            {
                near.Add(id);
            }
        }

        return near;
    }

    /// <summary>Per-thread working memory of <see cref="ForEachNear"/> for one index.</summary>
    public NearScratch CreateScratch() => new(_keys.Count);

    /// <summary>The first index in [start, end) of the ascending <paramref name="values"/> whose value is at least <paramref name="value"/>.</summary>
    // Compiled optimised at once: called for every probe gram of a batch's first queries, which would otherwise run it
    // unoptimised until tiering promotes it (docs/benchmarks.md, screen-speed2). IComparable, not the generic-math
    // operator: ReadyToRun does not precompile a method that calls a static abstract interface member, so a published
    // build compiled it unoptimised at every start (docs/benchmarks.md, recheck-cold23); CompareTo of int and long inlines.
    [MethodImpl(HotPath.Compile)]
    private static int FirstAtOrAfter<T>(ReadOnlySpan<T> values, int start, int end, T value)
        where T : struct, IComparable<T>
    {
        while (start < end)
        {
            int middle = start + ((end - start) >> 1);
            if (values[middle].CompareTo(value) < 0)
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

    private static int GramOf(long bucket) => (int)(uint)(bucket >> 16);

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
    /// <summary>Each key's gram count with the query it belongs to (a count from an earlier query is stale), side by side: one cache line per key.</summary>
    public (int Stamp, int Count)[] Tallies { get; } = new (int Stamp, int Count)[keys];

    public int Stamp { get; set; }

    public List<int> Found { get; } = [];
}
