using Clearance.Store;

namespace Clearance.Application;

/// <summary>
/// Which shipment lines a list shows: by status and by open reason code. (<c>shipments list</c> has the same filter
/// inline; it is to call this once the workflow rewrite lands.)
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
}
