using Clearance.Store;

namespace Clearance.Application;

/// <summary>
/// Which shipment lines a list shows: by status and by open reason code (<c>shipments list</c>, the API's
/// <c>GET /shipments</c> and the queue page alike).
/// </summary>
public static class ShipmentFilter
{
    /// <summary>The status as stored (any case), or null when it is none of <see cref="ShipmentStatus.All"/>.</summary>
    public static string? ParseStatus(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var wanted = text.ToLowerInvariant();
        return ShipmentStatus.All.Contains(wanted) ? wanted : null;
    }

    /// <summary>The lines with <paramref name="status"/> (null: any) and an open reason of <paramref name="reason"/> (null: any).</summary>
    public static IReadOnlyList<ShipmentRecord> List(ShipmentStore store, string? status, string? reason)
    {
        ArgumentNullException.ThrowIfNull(store);
        return [.. store.List(status).Where(r => reason is null || ShipmentJson.ReasonCodes(r).Split(", ").Contains(reason))];
    }

    /// <summary>
    /// The lines of <see cref="List(ShipmentStore, string?, string?)"/> whose destination and exporter, as submitted,
    /// contain <paramref name="destination"/> and <paramref name="exporter"/> (any case; null or empty: any).
    /// </summary>
    public static IReadOnlyList<ShipmentRecord> List(ShipmentStore store, string? status, string? reason, string? destination, string? exporter) =>
        [.. List(store, status, reason).Where(r => Contains(Submitted(r, "to"), destination) && Contains(Submitted(r, "exporter"), exporter))];

    /// <summary>
    /// A text field of the line as submitted (<c>"to"</c>, <c>"exporter"</c>, <c>"item"</c>, <c>"date"</c>), or "" when it
    /// has none. The line is stored with its items as a list (one classification per regime): they are joined with ", ".
    /// </summary>
    public static string Submitted(ShipmentRecord record, string field)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var request = System.Text.Json.JsonDocument.Parse(record.Request);
        if (request.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object || !request.RootElement.TryGetProperty(field, out var value))
            return "";
        return value.ValueKind switch
        {
            System.Text.Json.JsonValueKind.String => value.GetString()!,
            System.Text.Json.JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Where(v => v.ValueKind == System.Text.Json.JsonValueKind.String).Select(v => v.GetString())),
            _ => "",
        };
    }

    private static bool Contains(string value, string? wanted) =>
        string.IsNullOrWhiteSpace(wanted) || value.Contains(wanted.Trim(), StringComparison.OrdinalIgnoreCase);
}
