using Clearance.Screening.Matching;
using Clearance.Store;

namespace Clearance.Cli.Check;

/// <summary>Opens end-user screening over the lists imported into the local database.</summary>
internal static class EndUserScreeningFactory
{
    /// <summary>
    /// Builds the screening index from the database's active lists; with no database or no lists, every given end
    /// user is "not screened" and determinations that depend on it say so.
    /// </summary>
    public static EndUserScreening Open(string? databasePath)
    {
        var path = DatabaseLocation.Resolve(databasePath);
        if (!File.Exists(path))
        {
            return EndUserScreening.None;
        }

        var entities = ListStore.OpenSqlite(path).LoadActiveEntities();
        if (entities.Count == 0)
        {
            return EndUserScreening.None;
        }

        var index = ScreeningIndex.Build(entities);
        var lists = entities.Select(e => e.ListId).ToHashSet(StringComparer.Ordinal);
        return new EndUserScreening(
            (name, country) => [.. index.Screen(new ScreeningQuery(name, country, Limit: 5))
                .Select(m => new EndUserMatch(m.ListId, m.EntityId, m.PrimaryName, m.MatchedName, m.Score))],
            lists);
    }
}
