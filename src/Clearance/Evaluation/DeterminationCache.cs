namespace Clearance.Evaluation;

/// <summary>
/// The determinations of a jurisdiction by outcome code. Reads are lock-free and allocation-free (a probe of an open
/// addressing table, the code compared as a span); inserts are rare (a jurisdiction has hundreds of distinct outcomes
/// against millions of lookups), so they take a lock and publish a new table. A dictionary with an alternate span key
/// did the same job at several times the cost per lookup (a comparer cast and an interface dispatch on every call).
/// </summary>
internal sealed class DeterminationCache
{
    private readonly Lock _insert = new();
    private Table _table = new(64);

    public bool TryGet(ReadOnlySpan<int> code, out Determination determination)
    {
        var table = Volatile.Read(ref _table);
        var mask = table.Codes.Length - 1;
        for (var slot = Hash(code) & mask; ; slot = (slot + 1) & mask)
        {
            var stored = table.Codes[slot];
            if (stored is null)
            {
                determination = null!;
                return false;
            }

            if (code.SequenceEqual(stored))
            {
                determination = table.Determinations[slot];
                return true;
            }
        }
    }

    /// <summary>The determination for the code, built by <paramref name="build"/> the first time only.</summary>
    public Determination GetOrAdd(ReadOnlySpan<int> code, Func<int[], Determination> build)
    {
        lock (_insert)
        {
            if (TryGet(code, out var known))
            {
                return known;
            }

            var array = code.ToArray();
            var determination = build(array);
            var table = _table;
            var grown = new Table(table.Count + 1 > table.Codes.Length / 2 ? table.Codes.Length * 2 : table.Codes.Length);
            for (var i = 0; i < table.Codes.Length; i++)
            {
                if (table.Codes[i] is { } existing)
                {
                    grown.Add(existing, table.Determinations[i]);
                }
            }

            grown.Add(array, determination);
            Volatile.Write(ref _table, grown);
            return determination;
        }
    }

    private static int Hash(ReadOnlySpan<int> code)
    {
        var hash = new HashCode();
        hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(code));
        return hash.ToHashCode() & int.MaxValue;
    }

    private sealed class Table(int size)
    {
        public int[]?[] Codes { get; } = new int[size][];

        public Determination[] Determinations { get; } = new Determination[size];

        public int Count { get; private set; }

        public void Add(int[] code, Determination determination)
        {
            var mask = Codes.Length - 1;
            var slot = Hash(code) & mask;
            while (Codes[slot] is not null)
            {
                slot = (slot + 1) & mask;
            }

            Codes[slot] = code;
            Determinations[slot] = determination;
            Count++;
        }
    }
}
