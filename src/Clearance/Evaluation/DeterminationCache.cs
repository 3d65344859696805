using System.Numerics;

namespace Clearance.Evaluation;

/// <summary>
/// The determinations of a jurisdiction by outcome code, in at most two generations, so that its memory stays bounded
/// however many distinct outcomes a batch has (the EAR has tens of thousands in a million lines: an unconfirmed entry
/// is named in its outcome). Reads are lock-free and allocation-free (a probe of an open addressing table, the code
/// compared as a span). Inserts take a lock and fill a free slot of the current table in place, its code written last
/// so that a reader sees a slot whole or empty; a table half full is copied into one twice its size, which is then
/// published. When the current generation holds <see cref="CodeCache{TValue}.Capacity"/> outcomes it becomes the
/// previous one and an empty generation starts; the generation before is dropped. An outcome found only in the previous
/// generation is moved into the current one with the same <see cref="Determination"/> (not rebuilt), so outcomes in use
/// keep their object, and with it the wire forms cached for it, while outcomes not seen for a generation are let go and
/// rebuilt if they come back. A generation grows (up to <see cref="CodeCache{TValue}.MaxCapacity"/>) instead of being
/// retired when many of its outcomes came back from the previous one: see <see cref="CodeCache{TValue}"/>. Copying the
/// table on every insert, as this once did, made a batch of US lines quadratic; a dictionary with an alternate span key
/// did the same job at several times the cost per lookup.
/// </summary>
internal sealed class DeterminationCache : CodeCache<Determination>
{
    /// <summary>
    /// Outcomes a generation holds at first: a JP/KR batch has a few hundred outcomes, and a batch whose outcomes
    /// are seen once each (no reuse to gain) keeps at most two generations of this size.
    /// </summary>
    public const int DefaultCapacity = 16_384;

    /// <summary>
    /// Outcomes a generation may grow to. The EAR lines of the mixed million-line benchmark batch give 61,147 distinct
    /// outcome codes (the rules excluded by destination and by a fact differ from item to item), each used about five
    /// times: generations of 16,384 let about 26,000 of them go and rebuilt them (each a new determination, whose wire
    /// form is then looked up again), while one generation of 65,536 holds them all. At an estimated 450 bytes an EAR outcome
    /// (its code, the determination's copy and trace, the table's slots), two generations of this size are about 60 MB.
    /// </summary>
    public const int DefaultMaxCapacity = 65_536;

    /// <summary>A cache that starts with generations of <see cref="DefaultCapacity"/> and grows them up to <see cref="DefaultMaxCapacity"/> while outcomes in use outlive a generation.</summary>
    public DeterminationCache()
        : base(DefaultCapacity, DefaultMaxCapacity)
    {
    }

    /// <summary>A cache whose generations hold <paramref name="capacity"/> outcomes each, never more.</summary>
    /// <param name="capacity">Outcomes a generation holds before it becomes the previous one.</param>
    public DeterminationCache(int capacity)
        : base(capacity, capacity)
    {
    }

    /// <summary>A cache whose generations start at <paramref name="capacity"/> outcomes and may grow to <paramref name="maxCapacity"/>.</summary>
    /// <param name="capacity">Outcomes a generation holds at first.</param>
    /// <param name="maxCapacity">Outcomes a generation may grow to (a power-of-two multiple of <paramref name="capacity"/> is reached exactly).</param>
    public DeterminationCache(int capacity, int maxCapacity)
        : base(capacity, maxCapacity)
    {
    }
}

/// <summary>
/// Values by integer code (an outcome's, or the part of it an answer depends on), in at most two generations: the
/// table and policy described on <see cref="DeterminationCache"/>. How large a generation is follows the values in use:
/// when the current generation is full and at least a quarter of its values were moved from the previous one (values
/// in use outlive a generation, so the ones retired with it would come back and be rebuilt), it doubles its capacity,
/// up to the maximum, and goes on filling instead of being retired. A stream of values seen once moves none forward and
/// keeps the first capacity; a working set that a generation holds stops the growth, as nothing is moved any more.
/// </summary>
/// <typeparam name="TValue">What a code stands for.</typeparam>
internal class CodeCache<TValue>
    where TValue : class
{
    private readonly Lock _insert = new();
    private Table _current = new(64);

    // Read and written under the lock only: readers outside it look in the current generation alone.
    private Table? _previous;
    private int _capacity;
    private int _moved; // values of the current generation moved from the previous one

    /// <param name="capacity">Values the current generation holds at first before it becomes the previous one.</param>
    /// <param name="maxCapacity">Values a generation may grow to (see the class); <paramref name="capacity"/> for a fixed size.</param>
    public CodeCache(int capacity, int maxCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCapacity, capacity);
        _capacity = capacity;
        MaxCapacity = maxCapacity;
    }

    /// <summary>Values the current generation holds before it becomes the previous one (or grows); the cache holds at most twice <see cref="MaxCapacity"/>.</summary>
    public int Capacity
    {
        get
        {
            lock (_insert)
            {
                return _capacity;
            }
        }
    }

    /// <summary>Values a generation may grow to.</summary>
    public int MaxCapacity { get; }

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
    public TValue GetOrAdd(ReadOnlySpan<int> code, Func<int[], TValue> build) => GetOrAdd(code, static (array, build) => build(array), build);

    /// <summary>The value for the code, built by <paramref name="build"/> from the code's copy and <paramref name="state"/> unless either generation holds it (a static builder allocates no closure).</summary>
    public TValue GetOrAdd<TState>(ReadOnlySpan<int> code, Func<int[], TState, TValue> build, TState state)
        where TState : allows ref struct
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
            var moved = false;
            if (_previous is { } previous && previous.TryGet(code, hash, out var kept, out var keptCode))
            {
                (array, value, moved) = (keptCode, kept, true);
            }
            else
            {
                array = code.ToArray();
                value = build(array, state);
            }

            _moved += moved ? 1 : 0;
            if (current.Count >= _capacity)
            {
                if (_moved >= _capacity / 4 && _capacity <= MaxCapacity / 2)
                {
                    // Values in use outlive a generation: it grows rather than let them go (below, the table doubles).
                    _capacity *= 2;
                }
                else
                {
                    // A new generation: the current one is still read while it is the previous; the one before is let
                    // go. A batch that filled one generation will fill the next: its table is sized for it at once.
                    var fresh = new Table(current.Entries.Length);
                    fresh.Add(array, hash, value);
                    _previous = current;
                    _moved = moved ? 1 : 0;
                    Volatile.Write(ref _current, fresh);
                    return value;
                }
            }

            if (current.Count + 1 <= current.Entries.Length / 2)
            {
                current.Add(array, hash, value);
                return value;
            }

            var grown = new Table(current.Entries.Length * 2);
            foreach (var entry in current.Entries)
            {
                if (entry.Code is { } existing)
                {
                    grown.Add(existing, entry.Hash, entry.Value);
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

    // One slot: the code, its value and its hash side by side, so that a probe reads one entry (24 bytes: at most
    // two cache lines, mostly one) before the code's own array. Three parallel arrays (codes, values, hashes) made a
    // hit three misses before the array on the EAR's 61,000 outcomes of the mixed batch, whose table (1-2 MB each) the
    // cache does not hold.
    private struct Entry
    {
        public int[]? Code;
        public TValue Value;
        public int Hash;
    }

    private sealed class Table(int size)
    {
        public Entry[] Entries { get; } = new Entry[size];

        public int Count { get; private set; }

        public bool TryGet(ReadOnlySpan<int> code, int hash, out TValue value) => TryGet(code, hash, out value, out _);

        public bool TryGet(ReadOnlySpan<int> code, int hash, out TValue value, out int[] stored)
        {
            var entries = Entries;
            var mask = entries.Length - 1;
            for (var slot = hash & mask; ; slot = (slot + 1) & mask)
            {
                ref var entry = ref entries[slot];
                var candidate = Volatile.Read(ref entry.Code);
                if (candidate is null)
                {
                    value = null!;
                    stored = null!;
                    return false;
                }

                // The stored hash first: a slot of another code is passed over without reading that code's array.
                if (entry.Hash == hash && code.SequenceEqual(candidate))
                {
                    value = entry.Value;
                    stored = candidate;
                    return true;
                }
            }
        }

        public void Add(int[] code, int hash, TValue value)
        {
            var entries = Entries;
            var mask = entries.Length - 1;
            var slot = hash & mask;
            while (entries[slot].Code is not null)
            {
                slot = (slot + 1) & mask;
            }

            // The code last, as a release: a reader that sees it sees the value and hash written before it.
            ref var entry = ref entries[slot];
            entry.Value = value;
            entry.Hash = hash;
            Volatile.Write(ref entry.Code, code);
            Count++;
        }
    }
}
