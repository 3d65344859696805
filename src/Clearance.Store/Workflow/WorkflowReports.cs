using System.Text.Json.Nodes;
using Clearance.Licensing;
using NodaTime;
using NodaTime.Text;

namespace Clearance.Store;

/// <summary>Held lines that share a reason code or a destination.</summary>
/// <param name="Key">The reason code (<c>license-required</c>...) or the destination (ISO code).</param>
/// <param name="Lines">How many held lines.</param>
/// <param name="OldestHold">When the longest-held of them was held.</param>
/// <param name="Ids">Their ids, in the order submitted.</param>
public sealed record HoldGroup(string Key, int Lines, Instant OldestHold, IReadOnlyList<string> Ids);

/// <summary>The open holds: how many lines are held, by reason code and by destination.</summary>
/// <param name="Lines">How many lines are held.</param>
/// <param name="OldestHold">When the longest-held line was held; null when none is.</param>
/// <param name="ByReason">By reason code (a line held for two reasons counts under each), most lines first.</param>
/// <param name="ByDestination">By destination, most lines first.</param>
public sealed record HoldsReport(int Lines, Instant? OldestHold, IReadOnlyList<HoldGroup> ByReason, IReadOnlyList<HoldGroup> ByDestination);

/// <summary>A licence's balance seen from a date.</summary>
/// <param name="Record">The licence with its ledger and balance.</param>
/// <param name="QuantityUsed">The quantity drawn as a percentage of the quantity limit (tolerance aside: above 100 within it); null without a quantity limit.</param>
/// <param name="ValueUsed">The value drawn as a percentage of the value limit; null without a value limit.</param>
/// <param name="DaysLeft">Days from the date to the last valid day (0: the last day; negative: ended); null when open-ended.</param>
/// <param name="Expiring">Whether the last valid day falls within the window asked for.</param>
public sealed record LicenseBalanceLine(LicenseRecord Record, decimal? QuantityUsed, decimal? ValueUsed, int? DaysLeft, bool Expiring)
{
    /// <summary>The larger of the two percentages used; null when the licence has no limit.</summary>
    public decimal? Used => QuantityUsed is { } q ? (ValueUsed is { } v ? Math.Max(q, v) : q) : ValueUsed;
}

/// <summary>A screening alert awaiting review: a party's match on a list entry, with the held lines it holds.</summary>
/// <param name="Party">The party's name as given on the lines.</param>
/// <param name="Roles">As what it was screened: <c>end_user</c>, <c>consignee</c>.</param>
/// <param name="List">The list.</param>
/// <param name="Entity">The entry's id on the list.</param>
/// <param name="EntryName">The entry's name.</param>
/// <param name="Lines">How many held lines the match holds.</param>
/// <param name="BestScore">The best score of the match on those lines.</param>
/// <param name="OldestHold">When the longest-held of them was held.</param>
/// <param name="Ids">The lines' ids, in the order submitted.</param>
public sealed record ScreeningAlert(string Party, IReadOnlyList<string> Roles, string List, string Entity, string EntryName, int Lines, double BestScore, Instant OldestHold, IReadOnlyList<string> Ids);

/// <summary>A line an officer released over its open reasons.</summary>
/// <param name="Id">The line.</param>
/// <param name="At">When.</param>
/// <param name="Actor">Who.</param>
/// <param name="Reason">Why, as recorded.</param>
/// <param name="Status">The line's status now.</param>
/// <param name="License">The licence it draws on now, or null.</param>
public sealed record OfficerOverride(string Id, Instant At, string Actor, string Reason, string Status, string? License);

/// <summary>
/// The compliance team's reports over the workflow tables: open holds, licence balances and expiries, screening alerts
/// awaiting review, and officer overrides. Reasons are stored as JSON (one array a line), so the rows are read with SQL
/// both providers share and grouped here, the same way on both.
/// </summary>
public sealed class WorkflowReports
{
    private const string HeldLines =
        """
        SELECT s.id, s.reasons, s.request, s.updated_at,
            (SELECT e.at FROM shipment_events e
             WHERE e.shipment = s.id AND e.status = 'held'
               AND e.id > COALESCE((SELECT MAX(x.id) FROM shipment_events x WHERE x.shipment = s.id AND x.status <> 'held'), 0)
             ORDER BY e.id LIMIT 1) AS held_since
        FROM shipments s WHERE s.status = 'held' ORDER BY
        """ + " " + ShipmentStore.InSubmissionOrder;

    private readonly IDbProvider _provider;
    private readonly LicenseStore _licenses;

    /// <summary>The reports of the database behind <paramref name="provider"/>, bringing its schema up to date.</summary>
    public WorkflowReports(IDbProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _provider = provider;
        _licenses = new LicenseStore(provider);
    }

    /// <summary>Opens the reports at a location as <see cref="DatabaseLocation.Resolve"/> gives it.</summary>
    public static WorkflowReports Open(string location) =>
        new(DatabaseLocation.Provider(location));

    /// <summary>The open holds by reason code and by destination, with the oldest hold of each.</summary>
    public HoldsReport Holds()
    {
        var lines = Held();
        return new HoldsReport(
            lines.Count, lines.Count == 0 ? null : lines.Min(l => l.Since),
            Group(lines.SelectMany(l => l.Reasons.Select(Code).Distinct().Select(code => (code, l)))),
            Group(lines.Select(l => (l.Destination, l))));
    }

    /// <summary>
    /// Every licence with its balance, the share of its limits used, and whether its last valid day falls within
    /// <paramref name="withinDays"/> days from <paramref name="date"/>.
    /// </summary>
    public IReadOnlyList<LicenseBalanceLine> Licenses(LocalDate date, int withinDays) =>
        [.. _licenses.List().Select(r =>
        {
            var l = r.License;
            int? daysLeft = l.Validity.To is { } end ? NodaTime.Period.DaysBetween(date, end.PlusDays(-1)) : null;
            return new LicenseBalanceLine(r, Percent(r.Balance.QuantityDrawn, l.Quantity), Percent(r.Balance.ValueDrawn, l.Value),
                daysLeft, daysLeft is >= 0 and var d && d <= withinDays);
        })];

    /// <summary>
    /// The screening alerts awaiting review: the <c>screening-match</c> reasons of held lines, by party and list entry,
    /// best score first. A decided match is not among them: a false positive is a <c>screening-cleared</c> reason, and a
    /// true match a <c>screening-match</c> with its <c>decision</c> (a lapsed decision awaits review again).
    /// </summary>
    public IReadOnlyList<ScreeningAlert> Alerts()
    {
        var matches = Held().SelectMany(l => l.Reasons.Where(r => Code(r) == "screening-match" && r["decision"] is null).Select(r => (Reason: r, Line: l)));
        return [.. matches
            .GroupBy(m => (Party: Text(m.Reason, "name"), List: Text(m.Reason, "list"), Entity: Text(m.Reason, "entity")))
            .Select(g => new ScreeningAlert(
                g.Key.Party, [.. g.Select(m => Text(m.Reason, "party")).Distinct().Order(StringComparer.Ordinal)], g.Key.List, g.Key.Entity,
                Text(g.First().Reason, "entry_name"), g.Select(m => m.Line.Id).Distinct().Count(),
                g.Max(m => m.Reason["score"]?.GetValue<double>() ?? 0), g.Min(m => m.Line.Since), [.. g.Select(m => m.Line.Id).Distinct()]))
            .OrderByDescending(a => a.BestScore).ThenByDescending(a => a.Lines).ThenBy(a => a.Party, StringComparer.Ordinal).ThenBy(a => a.List, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Every release by an officer over a line's open reasons (its <c>officer-release</c>), oldest first, from the lines'
    /// history, which is only ever appended to: a later change of the line does not hide the override.
    /// </summary>
    public IReadOnlyList<OfficerOverride> Overrides()
    {
        using var connection = _provider.Open();
        return PlainCommand.Query(connection,
            """
            SELECT e.shipment, e.at, e.actor, e.reason, s.status, s.license FROM shipment_events e
            JOIN shipments s ON s.id = e.shipment WHERE e.action = 'release' ORDER BY e.id
            """, null, r => new OfficerOverride(r.GetString(0), Parse(r.GetString(1)), r.GetString(2), r.Text(3) ?? "", r.GetString(4), r.Text(5)));
    }

    /// <summary>One held line: its reasons, destination and the time it was held (since its last change to held).</summary>
    private sealed record HeldLine(string Id, IReadOnlyList<JsonObject> Reasons, string Destination, Instant Since);

    private List<HeldLine> Held()
    {
        using var connection = _provider.Open();
        return PlainCommand.Query(connection, HeldLines, null, r => new HeldLine(
            r.GetString(0), [.. JsonNode.Parse(r.GetString(1))!.AsArray().OfType<JsonObject>()], JsonNode.Parse(r.GetString(2))?["to"]?.GetValue<string>() ?? "",
            Parse(r.Text(4) ?? r.GetString(3))));
    }

    private static List<HoldGroup> Group(IEnumerable<(string Key, HeldLine Line)> members) =>
        [.. members.GroupBy(m => m.Key)
            .Select(g => new HoldGroup(g.Key, g.Count(), g.Min(m => m.Line.Since), [.. g.Select(m => m.Line.Id)]))
            .OrderByDescending(g => g.Lines).ThenBy(g => g.Key, StringComparer.Ordinal)];

    private static decimal? Percent(decimal drawn, LicenseLimit? limit) =>
        limit is { Amount: > 0 } l ? Math.Round(drawn / l.Amount * 100, 1, MidpointRounding.AwayFromZero) : null;

    private static string Code(JsonObject reason) => Text(reason, "code");

    private static string Text(JsonObject reason, string field) => reason[field]?.GetValue<string>() ?? "";

    private static Instant Parse(string at) => InstantPattern.ExtendedIso.Parse(at).GetValueOrThrow();
}
