using System.Numerics;

namespace Clearance.Evaluation;

/// <summary>
/// The determinations of a jurisdiction by outcome code, in at most two generations of a fixed capacity, so that its
/// memory stays flat however many distinct outcomes a batch has (the EAR has tens of thousands in a million lines: an
/// unconfirmed entry is named in its outcome). Reads are lock-free and allocation-free (a probe of an open addressing
/// table, the code compared as a span). Inserts take a lock and fill a free slot of the current table in place, its
/// code written last so that a reader sees a slot whole or empty; a table half full is copied into one twice its size,
/// which is then published. When the current generation holds <see cref="CodeCache{TValue}.Capacity"/> outcomes it becomes the previous
/// one and an empty generation starts; the generation before is dropped. An outcome found only in the previous
/// generation is moved into the current one with the same <see cref="Determination"/> (not rebuilt), so outcomes in use
/// keep their object, and with it the wire forms cached for it, while outcomes not seen for a generation are let go and
/// rebuilt if they come back. Copying the table on every insert, as this once did, made a batch of US lines quadratic;
/// a dictionary with an alternate span key did the same job at several times the cost per lookup.
/// </summary>
/// <param name="capacity">Outcomes the current generation holds before it becomes the previous one.</param>
internal sealed class DeterminationCache(int capacity = DeterminationCache.DefaultCapacity) : CodeCache<Determination>(capacity)
{
    /// <summary>
    /// Outcomes per generation by default: the EAR lines of the mixed million-line benchmark batch give about 64,000
    /// distinct outcome codes (the rules excluded by destination and by a fact differ from item to item), more than
    /// two generations hold; an outcome rebuilt costs a lookup of its answer (<see cref="OutcomeText"/> keeps the
    /// answers without the trace, about 21,000 in that batch, in a cache of its own), so the bound is kept for memory.
    /// A JP/KR batch has a few hundred outcomes.
    /// </summary>
    public const int DefaultCapacity = 16_384;
}

/// <summary>
/// Values by integer code (an outcome's, or the part of it an answer depends on), in at most two generations of a
/// fixed capacity: the table and policy described on <see cref="DeterminationCache"/>.
/// </summary>
/// <typeparam name="TValue">What a code stands for.</typeparam>
internal class CodeCache<TValue>
    where TValue : class
{
    private readonly Lock _insert = new();
    private Table _current = new(64);

    // Read and written under the lock only: readers outside it look in the current generation alone.
    private Table? _previous;

    /// <param name="capacity">Values the current generation holds before it becomes the previous one.</param>
    public CodeCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    /// <summary>Outcomes a generation holds; the cache holds at most twice as many.</summary>
    public int Capacity { get; }

    /// <summary>Outcomes held now (both generations).</summary>
    public int Count
    {
        get
        {
            lock (_insert)
            {
                return _current.Count + (_previous?.Count ?? 0);
            }
        }
    }

    /// <summary>The value of the current generation for the code (a code only in the previous one is found by <see cref="GetOrAdd"/>).</summary>
    public bool TryGet(ReadOnlySpan<int> code, out TValue value) =>
        Volatile.Read(ref _current).TryGet(code, Hash(code), out value);

    /// <summary>The value for the code, built by <paramref name="build"/> unless either generation holds it.</summary>
    public TValue GetOrAdd(ReadOnlySpan<int> code, Func<int[], TValue> build)
    {
        lock (_insert)
        {
            var hash = Hash(code);
            var current = _current;
            if (current.TryGet(code, hash, out var known))
            {
                return known;
            }

            int[] array;
            TValue value;
            if (_previous is { } previous && previous.TryGet(code, hash, out var kept, out var keptCode))
            {
                (array, value) = (keptCode, kept);
            }
            else
            {
                array = code.ToArray();
                value = build(array);
            }

            if (current.Count >= Capacity)
            {
                // A new generation: the current one is still read while it is the previous; the one before is let go.
                // A batch that filled one generation will fill the next: its table is sized for it at once, not grown.
                var fresh = new Table(current.Codes.Length);
                fresh.Add(array, hash, value);
                _previous = current;
                Volatile.Write(ref _current, fresh);
                return value;
            }

            if (current.Count + 1 <= current.Codes.Length / 2)
            {
                current.Add(array, hash, value);
                return value;
            }

            var grown = new Table(current.Codes.Length * 2);
            for (var i = 0; i < current.Codes.Length; i++)
            {
                if (current.Codes[i] is { } existing)
                {
                    grown.Add(existing, current.Hashes[i], current.Values[i]);
                }
            }

            grown.Add(array, hash, value);
            Volatile.Write(ref _current, grown);
            return value;
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

        public TValue[] Values { get; } = new TValue[size];

        public int[] Hashes { get; } = new int[size];

        public int Count { get; private set; }

        public bool TryGet(ReadOnlySpan<int> code, int hash, out TValue value) => TryGet(code, hash, out value, out _);

        public bool TryGet(ReadOnlySpan<int> code, int hash, out TValue value, out int[] stored)
        {
            var mask = Codes.Length - 1;
            for (var slot = hash & mask; ; slot = (slot + 1) & mask)
            {
                var candidate = Volatile.Read(ref Codes[slot]);
                if (candidate is null)
                {
                    value = null!;
                    stored = null!;
                    return false;
                }

                // The stored hash first: a slot of another code is passed over without reading that code's array.
                if (Hashes[slot] == hash && code.SequenceEqual(candidate))
                {
                    value = Values[slot];
                    stored = candidate;
                    return true;
                }
            }
        }

        public void Add(int[] code, int hash, TValue value)
        {
            var mask = Codes.Length - 1;
            var slot = hash & mask;
            while (Codes[slot] is not null)
            {
                slot = (slot + 1) & mask;
            }

            Values[slot] = value;
            Hashes[slot] = hash;
            Volatile.Write(ref Codes[slot], code);
            Count++;
        }
    }
}
