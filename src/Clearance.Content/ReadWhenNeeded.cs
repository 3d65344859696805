using System.Collections;

namespace Clearance.Content;

/// <summary>
/// A list whose count is known at once and whose items are made by <paramref name="read"/> the first time any of them
/// is read (once, on whichever thread reads first): the built-in content files, which a start served by the cache
/// (<see cref="ContentSnapshot"/>) never reads (1.5 million characters decoded, 7.4 MB allocated at every start before,
/// docs/benchmarks.md, "The check's CPU (branch check-speed17").
/// </summary>
/// <typeparam name="T">The items.</typeparam>
/// <param name="count">How many items <paramref name="read"/> makes.</param>
/// <param name="read">Makes the items, in order; called at most once.</param>
internal sealed class ReadWhenNeeded<T>(int count, Func<T[]> read) : IReadOnlyList<T>
{
    private readonly Lazy<T[]> _items = new(() =>
    {
        var items = read();
        return items.Length == count ? items : throw new InvalidOperationException($"{items.Length} items read where {count} were announced");
    });

    /// <summary>Whether the items have been made.</summary>
    public bool IsRead => _items.IsValueCreated;

    public int Count => count;

    public T this[int index] => _items.Value[index];

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items.Value).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
