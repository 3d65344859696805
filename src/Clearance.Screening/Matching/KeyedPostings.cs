namespace Clearance.Screening.Matching;

/// <summary>
/// Keys (phonetic keys, original-script keys) each with its ascending ids, stored flat: the keys in ordinal order
/// (<see cref="SortedKeys"/>), the ids of the key with id k from <c>starts[k]</c> to <c>starts[k + 1]</c>. Read from a mapped
/// snapshot, the tables stay in the mapping and a key is decoded only when a lookup reads it.
/// </summary>
internal sealed class KeyedPostings
{
    private readonly SortedKeys _keys;
    private readonly SnapshotTable<int> _starts;
    private readonly SnapshotTable<int> _values;

    private KeyedPostings(SnapshotStrings keys, SnapshotTable<int> starts, SnapshotTable<int> values)
    {
        _keys = new SortedKeys(keys);
        _starts = starts;
        _values = values;
    }

    /// <summary>The postings of <paramref name="map"/>.</summary>
    public static KeyedPostings Of(Dictionary<string, int[]> map)
    {
        string[] keys = [.. map.Keys.Order(StringComparer.Ordinal)];
        var starts = new int[keys.Length + 1];
        var values = new List<int>();
        for (int i = 0; i < keys.Length; i++)
        {
            starts[i] = values.Count;
            values.AddRange(map[keys[i]]);
        }

        starts[keys.Length] = values.Count;
        return new KeyedPostings(new SnapshotStrings(keys), new(starts), new([.. values]));
    }

    /// <summary>
    /// The ids of <paramref name="key"/> (empty when it is not a key). The span may point into a mapped snapshot: the
    /// caller keeps this object alive while it reads it.
    /// </summary>
    public ReadOnlySpan<int> this[string key]
    {
        get
        {
            if (!_keys.TryGetId(key, out int id))
            {
                return [];
            }

            ReadOnlySpan<int> starts = _starts.Span;
            return _values.Span[starts[id]..starts[id + 1]];
        }
    }

    /// <summary>Writes the postings to a snapshot, in the layout the snapshot has always had for them.</summary>
    public void Write(SnapshotWriter writer)
    {
        writer.WriteStrings(_keys.ToArray());
        writer.WriteInts(_starts.Span);
        writer.WriteInts(_values.Span);
    }

    /// <summary>Reads postings written by <see cref="Write"/>, checking that every offset is in range and every id below <paramref name="valueCount"/>.</summary>
    public static KeyedPostings Read(ref SnapshotReader reader, int valueCount)
    {
        SnapshotStrings keys = reader.ReadStringTable();
        SnapshotTable<int> starts = reader.ReadTable<int>();
        SnapshotTable<int> values = reader.ReadTable<int>();
        SnapshotReader.CheckOffsets(starts.Span, keys.Count, values.Length);
        SnapshotReader.CheckRange(values.Span, valueCount);
        return new KeyedPostings(keys, starts, values);
    }
}
