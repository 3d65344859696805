using System.Runtime.InteropServices;

namespace Clearance.Application;

/// <summary>
/// A list of strings as a span, for the per-line path: a shipment's classifications and held licences are the
/// reader's vocabulary arrays, and a determination's eligible licences an array, so indexing them through
/// <see cref="IReadOnlyList{T}"/> cost an interface call per count and per element (the virtual stub dispatch of the
/// checking threads' profile, docs/benchmarks.md, check-line22). Any other list is copied (no reader makes one per line).
/// </summary>
internal static class ListSpan
{
    /// <summary>The elements of <paramref name="list"/>: the array or the list's own storage, or a copy of any other list.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static ReadOnlySpan<string> Of(IReadOnlyList<string> list) => list switch
    {
        string[] array => array,
        List<string> items => CollectionsMarshal.AsSpan(items),
        _ => Copy(list),
    };

    private static string[] Copy(IReadOnlyList<string> list)
    {
        var copy = new string[list.Count];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = list[i];
        }

        return copy;
    }
}
