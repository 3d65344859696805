using System.Numerics;

namespace Clearance.Evaluation;

/// <summary>
/// The determinations of a jurisdiction by outcome code. Reads are lock-free and allocation-free (a probe of an open
/// addressing table, the code compared as a span). Inserts take a lock and fill a free slot of the table in place, its
/// code written last so that a reader sees a slot whole or empty; a table half full is copied into one twice its size,
/// which is then published. The EAR has tens of thousands of distinct outcomes in a large batch (an unconfirmed entry
/// is named in its outcome): copying the table on every insert, as this once did, made a batch of US lines quadratic.
/// A dictionary with an alternate span key did the same job at several times the cost per lookup (a comparer cast and
/// an interface dispatch on every call).
/// </summary>
internal sealed class DeterminationCache
{
    private readonly Lock _insert = new();
    private Table _table = new(64);

    public bool TryGet(ReadOnlySpan<int> code, out Determination determination)
    {
        var table = Volatile.Read(ref _table);
        var mask = table.Codes.Length - 1;
        var hash = Hash(code);
        for (var slot = hash & mask; ; slot = (slot + 1) & mask)
        {
            var stored = Volatile.Read(ref table.Codes[slot]);
            if (stored is null)
            {
                determination = null!;
                return false;
            }

            // The stored hash first: a slot of another code is passed over without reading that code's array.
            if (table.Hashes[slot] == hash && code.SequenceEqual(stored))
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
            if (table.Count + 1 <= table.Codes.Length / 2)
            {
                table.Add(array, determination);
                return determination;
            }

            var grown = new Table(table.Codes.Length * 2);
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

    /// <summary>
    /// A hash of the code read as 64-bit words in four independent lanes (multiply, rotate), mixed at the end. It runs on
    /// every determination: <see cref="HashCode.AddBytes"/> took a fifth of a US line's time, as its one chain of
    /// 32-bit rounds serialises every step; four lanes let the processor overlap them. Codes are short sequences of small
    /// integers, so a multiply per word spreads them well enough for a table kept at most half full.
    /// </summary>
    internal static int Hash(ReadOnlySpan<int> code)
    {
        var words = System.Runtime.InteropServices.MemoryMarshal.Cast<int, ulong>(code);
        ulong lane0 = (ulong)code.Length, lane1 = 0x243F6A8885A308D3UL, lane2 = 0x13198A2E03707344UL, lane3 = 0xA4093822299F31D0UL;
        var i = 0;
        for (; i + 4 <= words.Length; i += 4)
        {
            lane0 = Round(lane0, words[i]);
            lane1 = Round(lane1, words[i + 1]);
            lane2 = Round(lane2, words[i + 2]);
            lane3 = Round(lane3, words[i + 3]);
        }

        for (; i < words.Length; i++)
        {
            lane0 = Round(lane0, words[i]);
        }

        if ((code.Length & 1) != 0)
        {
            lane1 = Round(lane1, (uint)code[^1]);
        }

        var hash = lane0 ^ BitOperations.RotateLeft(lane1, 16) ^ BitOperations.RotateLeft(lane2, 32) ^ BitOperations.RotateLeft(lane3, 48);
        hash ^= hash >> 29;
        hash *= 0xBF58476D1CE4E5B9UL;
        hash ^= hash >> 32;
        return (int)hash & int.MaxValue;
    }

    private static ulong Round(ulong lane, ulong word) => BitOperations.RotateLeft((lane ^ word) * 0x9E3779B97F4A7C15UL, 29);

    private sealed class Table(int size)
    {
        public int[]?[] Codes { get; } = new int[size][];

        public Determination[] Determinations { get; } = new Determination[size];

        public int[] Hashes { get; } = new int[size];

        public int Count { get; private set; }

        public void Add(int[] code, Determination determination)
        {
            var mask = Codes.Length - 1;
            var hash = Hash(code);
            var slot = hash & mask;
            while (Codes[slot] is not null)
            {
                slot = (slot + 1) & mask;
            }

            Determinations[slot] = determination;
            Hashes[slot] = hash;
            Volatile.Write(ref Codes[slot], code);
            Count++;
        }
    }
}
