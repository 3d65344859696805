namespace Clearance;

/// <summary>
/// Lists of strings equal element by element, ordinally, whichever list type holds them (an array, a List, a content
/// model's immutable list): for the keys of caches over lists of licence types, items and the like.
/// </summary>
public sealed class OrdinalListComparer : IEqualityComparer<IReadOnlyList<string>>
{
    /// <summary>The one comparer (it has no state).</summary>
    public static OrdinalListComparer Instance { get; } = new();

    private OrdinalListComparer()
    {
    }

    /// <inheritdoc/>
    public bool Equals(IReadOnlyList<string>? x, IReadOnlyList<string>? y)
    {
        if (ReferenceEquals(x, y))
            return true;
        if (x is null || y is null || x.Count != y.Count)
            return false;
        for (var i = 0; i < x.Count; i++)
        {
            if (!string.Equals(x[i], y[i], StringComparison.Ordinal))
                return false;
        }

        return true;
    }

    /// <inheritdoc/>
    public int GetHashCode(IReadOnlyList<string> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var hash = new HashCode();
        for (var i = 0; i < obj.Count; i++)
            hash.Add(obj[i], StringComparer.Ordinal);
        return hash.ToHashCode();
    }
}
