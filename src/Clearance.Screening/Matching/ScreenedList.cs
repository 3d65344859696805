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
        var dates = new SortedDictionary<string, LocalDate?>(StringComparer.Ordinal);
        foreach (ListEntity entity in entities)
        {
            if (!dates.TryGetValue(entity.ListId, out LocalDate? date) || (entity.SourceDate is { } d && (date is null || d > date)))
            {
                dates[entity.ListId] = entity.SourceDate ?? date;
            }
        }

        return [.. dates.Select(pair => new ScreenedList(pair.Key, null, pair.Value))];
    }
}
