using NodaTime;

namespace Clearance.Screening.Matching;

/// <summary>
/// One list version a screening ran against: what a result names in <c>screened_against</c>, so that a match, or the
/// absence of one, can be traced to the exact list data that produced it.
/// </summary>
/// <param name="ListId">The list (the unit of import: "ofac-sdn", "csl", "meti-eul"; for list files, the entries' list id).</param>
/// <param name="Version">The version number in the store; null for list files screened directly (<c>--list</c>).</param>
/// <param name="SourceDate">The list's own publication date, when known.</param>
public sealed record ScreenedList(string ListId, int? Version, LocalDate? SourceDate)
{
    /// <summary>
    /// The lists of <paramref name="entities"/> without store versions: one per list id, in ordinal order, with the
    /// latest source date any of its entries carries.
    /// </summary>
    /// <param name="entities">List entries.</param>
    public static IReadOnlyList<ScreenedList> Of(IEnumerable<ListEntity> entities)
    {
        ArgumentNullException.ThrowIfNull(entities);
        // A dictionary of reference values and a sort of the ids, not a sorted dictionary of nullable dates: generic
        // collections over LocalDate? are compiled at run time in every process that built an index (ReadyToRun's code
        // for them is not used; docs/benchmarks.md, recheck-cold23), those over references are precompiled.
        var latest = new Dictionary<string, Latest>(StringComparer.Ordinal);
        foreach (ListEntity entity in entities)
        {
            if (!latest.TryGetValue(entity.ListId, out var list))
            {
                latest[entity.ListId] = new Latest(entity.SourceDate);
            }
            else if (entity.SourceDate is { } d && (list.Date is null || d > list.Date))
            {
                list.Date = d;
            }
        }

        var ids = new string[latest.Count];
        latest.Keys.CopyTo(ids, 0);
        Array.Sort(ids, StringComparer.Ordinal);
        var lists = new ScreenedList[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            lists[i] = new ScreenedList(ids[i], null, latest[ids[i]].Date);
        }

        return lists;
    }

    /// <summary>The latest source date seen so far of one list's entries.</summary>
    private sealed class Latest(LocalDate? date)
    {
        public LocalDate? Date { get; set; } = date;
    }
}
