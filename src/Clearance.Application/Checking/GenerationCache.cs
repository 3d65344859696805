using System.Collections.Concurrent;

namespace Clearance.Application;

/// <summary>
/// A cache of values built once per key, in at most two generations of a fixed capacity, so that its memory stays flat
/// however many distinct keys a batch brings. When the current generation holds <paramref name="capacity"/> values it
/// becomes the previous one and an empty generation starts; the one before is dropped. A value found only in the
/// previous generation is moved into the current one as it is (not rebuilt): values in use survive every rotation,
/// values not used for a generation are let go and rebuilt if their key comes back. Lookups are those of a
/// <see cref="ConcurrentDictionary{TKey, TValue}"/>: lock-free for readers; two threads may build the same value at
/// once, and one of the two is kept. With a <c>maxCapacity</c> above the capacity, a generation grows as the core's
/// outcome tables do (<c>Clearance.Evaluation.CodeCache</c>): when it is full and at least a quarter of its values were
/// moved from the previous one (values in use outlive a generation, so those retired with it would come back and be
/// built again), its capacity doubles, up to the maximum, and it goes on filling instead of being retired. A stream of
/// values seen once moves none and keeps the first capacity.
/// </summary>
/// <param name="capacity">Values the current generation holds (at first) before it becomes the previous one.</param>
/// <param name="comparer">Key equality.</param>
/// <param name="maxCapacity">Values a generation may grow to; 0 (or <paramref name="capacity"/>) for a fixed size.</param>
internal sealed class GenerationCache<TKey, TValue>(int capacity, IEqualityComparer<TKey> comparer, int maxCapacity = 0)
    where TKey : notnull
{
    private readonly int _maxCapacity = Math.Max(capacity, maxCapacity);
    private Generation _current = new(comparer, null, 0, capacity);

    /// <summary>Values the current generation holds before it becomes the previous one (or grows).</summary>
    public int Capacity => Volatile.Read(ref Volatile.Read(ref _current).Capacity);

    /// <summary>Values held now (both generations); counted on the side, as a concurrent dictionary's count takes every lock.</summary>
    public int Count
    {
        get
        {
            var current = Volatile.Read(ref _current);
            return Volatile.Read(ref current.Count) + (Volatile.Read(ref current.Previous) is { } previous ? Volatile.Read(ref previous.Count) : 0);
        }
    }

    /// <summary>The value for <paramref name="key"/>: the cached one, or one built by <paramref name="build"/>.</summary>
    public TValue GetOrAdd<TArgument>(TKey key, Func<TKey, TArgument, TValue> build, TArgument argument)
    {
        var current = Volatile.Read(ref _current);
        if (current.Values.TryGetValue(key, out var value))
        {
            return value;
        }

        var moved = false;
        if (Volatile.Read(ref current.Previous) is { } previous && previous.Values.TryGetValue(key, out var kept))
        {
            (value, moved) = (kept, true);
        }
        else
        {
            value = build(key, argument);
        }

        if (!current.Values.TryAdd(key, value))
        {
            return current.Values[key];
        }

        var generationMoved = moved ? Interlocked.Increment(ref current.Moved) : Volatile.Read(ref current.Moved);
        var size = Volatile.Read(ref current.Capacity);
        if (Interlocked.Increment(ref current.Count) >= size)
        {
            if (generationMoved >= size / 4 && size <= _maxCapacity / 2)
            {
                // Values in use outlive a generation: it grows rather than let them go (one thread doubles it).
                Interlocked.CompareExchange(ref current.Capacity, size * 2, size);
            }
            else if (ReferenceEquals(Interlocked.CompareExchange(ref _current, new Generation(comparer, current, size, size), current), current))
            {
                // One thread starts the next generation; the current one is still read as the previous, and its own
                // previous is let go (a reader still holding it finds nothing there and builds the value).
                // A batch that filled one generation will fill the next: it is sized for its values at once.
                Volatile.Write(ref current.Previous, null);
            }
        }

        return value;
    }

    private sealed class Generation(IEqualityComparer<TKey> comparer, Generation? previous, int size, int capacity)
    {
        public readonly ConcurrentDictionary<TKey, TValue> Values = size > 0 ? new(Environment.ProcessorCount, size, comparer) : new(comparer);

        public Generation? Previous = previous;

        public int Count;

        /// <summary>Values moved into this generation from the previous one (in use across the rotation).</summary>
        public int Moved;

        /// <summary>Values it holds before it becomes the previous one (or grows).</summary>
        public int Capacity = capacity;
    }
}
