namespace Clearance.Screening.Matching;

/// <summary>
/// Distinct keys in ordinal order, a key's id its position: an array (an index built, or read from a byte array), or left
/// in a mapped snapshot, where each key is decoded when first read and a key's id is found by binary search in place
/// until <see cref="LookupsBeforeMap"/> lookups have been made, and by a hash map of every key after that.
/// </summary>
/// <remarks>
/// A recheck's first check opens the whole index to screen a few dozen names: about a thousand lookups. Decoding the
/// 20,000 keys of each key index (tokens, joined names) and of the phonetic map and hashing them all at the open was
/// most of what opening the index allocated (7.5 MB, docs/benchmarks.md, branch recheck-speed20). A run that screens
/// many names builds the map within its first few hundred names and then looks keys up as it always did.
/// </remarks>
internal sealed class SortedKeys
{
    /// <summary>How many lookups a mapped table answers by binary search before it builds its hash map.</summary>
    internal const int LookupsBeforeMap = 4096;

    private readonly SnapshotStrings _source;

    // The keys decoded so far: all of them for an array (the array itself), else each when first read.
    private readonly string?[] _keys;
    private readonly Lock _building = new();
    private int _lookups;
    private Dictionary<string, int>? _ids;

    /// <summary>The keys of <paramref name="source"/>, which must be distinct and in ordinal order.</summary>
    public SortedKeys(SnapshotStrings source)
    {
        _source = source;
        _keys = source.Array ?? new string?[source.Count];
        if (!source.InPlace)
        {
            BuildMap(); // decoded already: nothing to save
        }
    }

    /// <summary>The number of keys.</summary>
    public int Count => _keys.Length;

    /// <summary>Whether lookups go through the hash map now (always for keys in an array).</summary>
    public bool Hashed => Volatile.Read(ref _ids) is not null;

    /// <summary>The key with id <paramref name="id"/>.</summary>
    public string this[int id]
    {
        get
        {
            // Threads may race to decode the same key: each gets an equal string, and one of them is kept.
            string? key = Volatile.Read(ref _keys[id]);
            if (key is null)
            {
                key = _source[id];
                Volatile.Write(ref _keys[id], key);
            }

            return key;
        }
    }

    /// <summary>The id of <paramref name="key"/>, when it is one of the keys.</summary>
    public bool TryGetId(string key, out int id)
    {
        if (Volatile.Read(ref _ids) is { } ids)
        {
            return ids.TryGetValue(key, out id);
        }

        if (Interlocked.Increment(ref _lookups) > LookupsBeforeMap)
        {
            BuildMap();
            return _ids!.TryGetValue(key, out id);
        }

        return TryFindId(key, out id);
    }

    /// <summary>The id of <paramref name="key"/> by binary search (the reference the map is tested against, and the lookup until it is built).</summary>
    internal bool TryFindId(string key, out int id)
    {
        int low = 0, high = _keys.Length - 1;
        while (low <= high)
        {
            int middle = low + ((high - low) >> 1);
            int order = string.CompareOrdinal(this[middle], key);
            if (order == 0)
            {
                id = middle;
                return true;
            }

            if (order < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        id = -1;
        return false;
    }

    /// <summary>Every key, in order (for writing a snapshot).</summary>
    public string[] ToArray()
    {
        var keys = new string[_keys.Length];
        for (int id = 0; id < keys.Length; id++)
        {
            keys[id] = this[id];
        }

        return keys;
    }

    private void BuildMap()
    {
        lock (_building)
        {
            if (_ids is not null)
            {
                return;
            }

            var ids = new Dictionary<string, int>(_keys.Length, StringComparer.Ordinal);
            for (int id = 0; id < _keys.Length; id++)
            {
                if (!ids.TryAdd(this[id], id))
                {
                    throw SnapshotReader.Corrupt("duplicate key");
                }
            }

            Volatile.Write(ref _ids, ids);
        }
    }
}
