using System.Text.Json;
using Clearance.Store;

namespace Clearance.Application;

/// <summary>The JSON forms of the list store's status and of a diff between two versions (indented: read by people and scripts).</summary>
public static class ListsJson
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Each list with its active version, counts, hash and note (e.g. an allowed shrink; null for most versions).</summary>
    public static string Status(IReadOnlyList<ListStatus> status) => JsonSerializer.Serialize(status.Select(s => new
    {
        list = s.Active.ListId,
        version = s.Active.VersionNo,
        format = s.Active.Format,
        source_date = s.Active.SourceDate?.ToString("yyyy-MM-dd", null),
        imported_at = s.Active.ImportedAt.ToString(),
        entities = s.Active.EntityCount,
        names = s.Active.NameCount,
        versions = s.VersionCount,
        sha256 = s.Active.Sha256,
        entities_by_list = s.EntitiesByList,
        note = s.Active.Note,
    }), Options);

    /// <summary>The entries added, removed and changed between two versions.</summary>
    public static string Diff(ListDiff diff)
    {
        ArgumentNullException.ThrowIfNull(diff);
        static object Ids(IReadOnlyList<EntityRef> refs) => refs.Select(r => new { list = r.ListId, id = r.EntityId });
        return JsonSerializer.Serialize(new
        {
            list = diff.ListId, from = diff.FromVersion, to = diff.ToVersion,
            added = Ids(diff.Added), removed = Ids(diff.Removed), changed = Ids(diff.Changed),
        }, Options);
    }
}
