using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Clearance.Licensing;
using Clearance.Store;
using NodaTime;
using NodaTime.Text;

namespace Clearance.Application;

/// <summary>
/// The reports of <c>clearance reports</c> as JSON Lines (one object per row, compact, raw UTF-8) and CSV (a header,
/// then one row per object, lists <c>;</c>-separated): the same rows and names in both.
/// </summary>
public static class ReportsJson
{
    private static readonly JsonSerializerOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The CSV columns of <see cref="HoldsCsv"/>.</summary>
    public const string HoldsCsvHeader = "by,key,lines,oldest_hold,ids";

    /// <summary>
    /// One line per group, by reason first then by destination: <c>{"by": "reason"|"destination", "key", "lines",
    /// "oldest_hold"}</c>, with the line <c>ids</c> when <paramref name="detail"/>.
    /// </summary>
    public static IEnumerable<string> Holds(HoldsReport report, bool detail)
    {
        ArgumentNullException.ThrowIfNull(report);
        foreach (var (by, group) in Groups(report))
        {
            var o = new JsonObject { ["by"] = by, ["key"] = group.Key, ["lines"] = group.Lines, ["oldest_hold"] = Time(group.OldestHold) };
            if (detail)
                o["ids"] = Array(group.Ids);
            yield return o.ToJsonString(Options);
        }
    }

    /// <summary>The holds as CSV; <c>ids</c> is empty without <paramref name="detail"/>.</summary>
    public static IEnumerable<string> HoldsCsv(HoldsReport report, bool detail)
    {
        ArgumentNullException.ThrowIfNull(report);
        yield return HoldsCsvHeader;
        foreach (var (by, group) in Groups(report))
            yield return ListsJson.Csv(by, group.Key, Number(group.Lines), Time(group.OldestHold), detail ? string.Join(';', group.Ids) : null);
    }

    /// <summary>Both groupings with their names, as the JSON and CSV rows give them.</summary>
    public static IEnumerable<(string By, HoldGroup Group)> Groups(HoldsReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.ByReason.Select(g => ("reason", g)).Concat(report.ByDestination.Select(g => ("destination", g)));
    }

    /// <summary>The CSV columns of <see cref="LicensesCsv"/>.</summary>
    public const string LicensesCsvHeader =
        "number,jurisdiction,type,holder,state,valid_from,valid_to,days_left,expiring,quantity_limit,quantity_unit,quantity_drawn,quantity_remaining,quantity_used_percent,value_limit,value_currency,value_drawn,value_remaining,value_used_percent";

    /// <summary>
    /// One line per licence: <c>{"number", "jurisdiction", "type", "holder", "state", "valid_from", "valid_to",
    /// "days_left", "expiring", "quantity": {"limit", "unit", "drawn", "remaining", "used_percent"}|null, "value":
    /// {"limit", "currency", "drawn", "remaining", "used_percent"}|null, "used_percent"}</c>.
    /// </summary>
    public static IEnumerable<string> Licenses(IReadOnlyList<LicenseBalanceLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        foreach (var line in lines)
        {
            var (l, b) = (line.Record.License, line.Record.Balance);
            yield return new JsonObject
            {
                ["number"] = l.Number, ["jurisdiction"] = l.Jurisdiction, ["type"] = l.Type, ["holder"] = l.Holder, ["state"] = License.Name(l.State),
                ["valid_from"] = Date(l.Validity.From), ["valid_to"] = LastDay(l) is { } last ? Date(last) : null,
                ["days_left"] = line.DaysLeft, ["expiring"] = line.Expiring,
                ["quantity"] = Limit(l.Quantity, "unit", b.QuantityDrawn, b.QuantityRemaining, line.QuantityUsed),
                ["value"] = Limit(l.Value, "currency", b.ValueDrawn, b.ValueRemaining, line.ValueUsed),
                ["used_percent"] = line.Used,
            }.ToJsonString(Options);
        }
    }

    /// <summary>The licences as CSV.</summary>
    public static IEnumerable<string> LicensesCsv(IReadOnlyList<LicenseBalanceLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        yield return LicensesCsvHeader;
        foreach (var line in lines)
        {
            var (l, b) = (line.Record.License, line.Record.Balance);
            yield return ListsJson.Csv(
                l.Number, l.Jurisdiction, l.Type, l.Holder, License.Name(l.State), Date(l.Validity.From), LastDay(l) is { } last ? Date(last) : null,
                Number(line.DaysLeft), line.Expiring ? "true" : "false",
                Number(l.Quantity?.Amount), l.Quantity?.Unit, l.Quantity is null ? null : Number(b.QuantityDrawn), Number(b.QuantityRemaining), Number(line.QuantityUsed),
                Number(l.Value?.Amount), l.Value?.Unit, l.Value is null ? null : Number(b.ValueDrawn), Number(b.ValueRemaining), Number(line.ValueUsed));
        }
    }

    /// <summary>The CSV columns of <see cref="AlertsCsv"/>.</summary>
    public const string AlertsCsvHeader = "party,roles,list,entity,entry_name,lines,best_score,oldest_hold,ids";

    /// <summary>One line per alert: <c>{"party", "roles", "list", "entity", "entry_name", "lines", "best_score", "oldest_hold", "ids"}</c>.</summary>
    public static IEnumerable<string> Alerts(IReadOnlyList<ScreeningAlert> alerts)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        return alerts.Select(a => new JsonObject
        {
            ["party"] = a.Party, ["roles"] = Array(a.Roles), ["list"] = a.List, ["entity"] = a.Entity, ["entry_name"] = a.EntryName,
            ["lines"] = a.Lines, ["best_score"] = a.BestScore, ["oldest_hold"] = Time(a.OldestHold), ["ids"] = Array(a.Ids),
        }.ToJsonString(Options));
    }

    /// <summary>The alerts as CSV.</summary>
    public static IEnumerable<string> AlertsCsv(IReadOnlyList<ScreeningAlert> alerts)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        return alerts.Select(a => ListsJson.Csv(
            a.Party, string.Join(';', a.Roles), a.List, a.Entity, a.EntryName, Number(a.Lines), a.BestScore.ToString(CultureInfo.InvariantCulture),
            Time(a.OldestHold), string.Join(';', a.Ids))).Prepend(AlertsCsvHeader);
    }

    /// <summary>The CSV columns of <see cref="OverridesCsv"/>.</summary>
    public const string OverridesCsvHeader = "id,at,actor,reason,status,license";

    /// <summary>One line per release by an officer: <c>{"id", "at", "actor", "reason", "status", "license"}</c> (status and licence as the line is now).</summary>
    public static IEnumerable<string> Overrides(IReadOnlyList<OfficerOverride> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        return overrides.Select(o => new JsonObject
        {
            ["id"] = o.Id, ["at"] = Time(o.At), ["actor"] = o.Actor, ["reason"] = o.Reason, ["status"] = o.Status, ["license"] = o.License,
        }.ToJsonString(Options));
    }

    /// <summary>The overrides as CSV.</summary>
    public static IEnumerable<string> OverridesCsv(IReadOnlyList<OfficerOverride> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        return overrides.Select(o => ListsJson.Csv(o.Id, Time(o.At), o.Actor, o.Reason, o.Status, o.License)).Prepend(OverridesCsvHeader);
    }

    /// <summary>A licence's last valid day (its period ends the day after), or null when open-ended.</summary>
    public static LocalDate? LastDay(License license) => license?.Validity.To is { } end ? end.PlusDays(-1) : null;

    private static JsonObject? Limit(LicenseLimit? limit, string unitName, decimal drawn, decimal? remaining, decimal? used) => limit is { } l
        ? new JsonObject { ["limit"] = l.Amount, [unitName] = l.Unit, ["drawn"] = drawn, ["remaining"] = remaining, ["used_percent"] = used }
        : null;

    private static JsonArray Array(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);

    private static string Time(Instant at) => InstantPattern.ExtendedIso.Format(at);

    private static string Date(LocalDate date) => LocalDatePattern.Iso.Format(date);

    private static string? Number(decimal? n) => n?.ToString(CultureInfo.InvariantCulture);
}
