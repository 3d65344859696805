using System.Collections.Concurrent;

namespace Clearance.Application;

/// <summary>
/// A cache of values built once per key, in at most two generations of a fixed capacity, so that its memory stays flat
/// however many distinct keys a batch brings. When the current generation holds <paramref name="capacity"/> values it
/// becomes the previous one and an empty generation starts; the one before is dropped. A value found only in the
/// previous generation is moved into the current one as it is (not rebuilt): values in use survive every rotation,
/// values not used for a generation are let go and rebuilt if their key comes back. Lookups are those of a
/// <see cref="ConcurrentDictionary{TKey, TValue}"/>: lock-free for readers; two threads may build the same value at
/// once, and one of the two is kept.
/// </summary>
/// <param name="capacity">Values the current generation holds before it becomes the previous one.</param>
/// <param name="comparer">Key equality.</param>
internal sealed class GenerationCache<TKey, TValue>(int capacity, IEqualityComparer<TKey> comparer)
    where TKey : notnull
{
    private Generation _current = new(comparer, null, 0);

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

        if (Volatile.Read(ref current.Previous) is not { } previous || !previous.Values.TryGetValue(key, out value))
        {
            value = build(key, argument);
        }

        if (!current.Values.TryAdd(key, value))
        {
            return current.Values[key];
        }

        if (Interlocked.Increment(ref current.Count) >= capacity)
        {
            // One thread starts the next generation; the current one is still read as the previous, and its own
            // previous is let go (a reader still holding it finds nothing there and builds the value).
            // A batch that filled one generation will fill the next: it is sized for its values at once, not grown.
            if (ReferenceEquals(Interlocked.CompareExchange(ref _current, new Generation(comparer, current, capacity), current), current))
            {
                Volatile.Write(ref current.Previous, null);
            }
        }

        return value;
    }

    private sealed class Generation(IEqualityComparer<TKey> comparer, Generation? previous, int size)
    {
        public readonly ConcurrentDictionary<TKey, TValue> Values = size > 0 ? new(Environment.ProcessorCount, size, comparer) : new(comparer);

        public Generation? Previous = previous;

        public int Count;
    }
}
