using System.Collections;

namespace Clearance.Content;

/// <summary>
/// A read-only list made by <paramref name="make"/> when first read (once, whichever thread reads it first). The built-in
/// content's files are 3 MB of text that a set read back from its snapshot keeps only for <c>ContentArchive.Keep</c>; a
/// recheck never reads them, and decoding them cost it ~28 ms of CPU (recheck-speed17).
/// </summary>
/// <typeparam name="T">The items.</typeparam>
/// <param name="make">Makes the items.</param>
public sealed class DeferredList<T>(Func<IReadOnlyList<T>> make) : IReadOnlyList<T>
{
    private readonly Lazy<IReadOnlyList<T>> _items = new(make);

    /// <summary>Whether the items have been made.</summary>
    public bool IsMade => _items.IsValueCreated;

    /// <inheritdoc />
    public T this[int index] => _items.Value[index];

    /// <inheritdoc />
    public int Count => _items.Value.Count;

    /// <inheritdoc />
    public IEnumerator<T> GetEnumerator() => _items.Value.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
