using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Clearance.Store;
using NodaTime;
using NodaTime.Text;

namespace Clearance.Application;

/// <summary>
/// How old a list's data is: the 30-day warning of <c>lists status</c>. The age is that of the active version's source
/// date (the list's newest, unless an older version was activated on purpose), counted to a given day, so that the
/// warning is the same in a test on any day.
/// </summary>
public static class ListFreshness
{
    /// <summary>A source date more than this many days before today is stale.</summary>
    public const int MaxAgeDays = 30;

    /// <summary>Days from the version's source date to <paramref name="today"/>; null when the version has no source date.</summary>
    public static int? AgeDays(ListVersion version, LocalDate today)
    {
        ArgumentNullException.ThrowIfNull(version);
        return version.SourceDate is { } date ? NodaTime.Period.Between(date, today, PeriodUnits.Days).Days : null;
    }

    /// <summary>True when the source date is more than <see cref="MaxAgeDays"/> days before <paramref name="today"/>.</summary>
    public static bool IsStale(ListVersion version, LocalDate today) => AgeDays(version, today) > MaxAgeDays;

    /// <summary>
    /// The warning for a stale list (without the "warning: " prefix; short enough for one line of 80 columns), or null
    /// when it is not stale.
    /// </summary>
    public static string? Warning(ListVersion version, LocalDate today) => AgeDays(version, today) is { } days && days > MaxAgeDays
        ? $"{version.ListId}: source date {LocalDatePattern.Iso.Format(version.SourceDate!.Value)} is {days:N0} days old; update the list"
        : null;
}

/// <summary>
/// The JSON and CSV forms of the list store's status and of a diff between two versions: compact JSON Lines with raw
/// UTF-8, and the same key names as everywhere else (a list entry is <c>list</c>, <c>entity_id</c>, <c>name</c>).
/// </summary>
public static class ListsJson
{
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// One line per list: its active version, counts, hash, note (e.g. an allowed shrink; null for most versions), how the
    /// version became active, and the age of its source date on <paramref name="today"/> with <c>stale</c> past 30 days.
    /// </summary>
    public static IEnumerable<string> Status(IReadOnlyList<ListStatus> status, LocalDate today)
    {
        ArgumentNullException.ThrowIfNull(status);
        return status.Select(s => JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["list"] = s.Active.ListId,
            ["version"] = s.Active.VersionNo,
            ["versions"] = s.VersionCount,
            ["format"] = s.Active.Format,
            ["source_date"] = Date(s.Active.SourceDate),
            ["source_age_days"] = ListFreshness.AgeDays(s.Active, today),
            ["stale"] = ListFreshness.IsStale(s.Active, today),
            ["imported_at"] = s.Active.ImportedAt.ToString(),
            ["entities"] = s.Active.EntityCount,
            ["names"] = s.Active.NameCount,
            ["sha256"] = s.Active.Sha256,
            ["entities_by_list"] = s.EntitiesByList,
            ["note"] = s.Active.Note,
            ["activated_at"] = s.Activation?.ActivatedAt.ToString(),
            ["activated_by"] = s.Activation?.Kind,
            ["activation_note"] = s.Activation?.Note,
        }, Options));
    }

    /// <summary>The CSV columns of <see cref="StatusCsv"/>.</summary>
    public const string StatusCsvHeader = "list,version,versions,format,source_date,source_age_days,stale,imported_at,entities,names,note";

    /// <summary>The status as CSV, with a header row.</summary>
    public static IEnumerable<string> StatusCsv(IReadOnlyList<ListStatus> status, LocalDate today)
    {
        ArgumentNullException.ThrowIfNull(status);
        yield return StatusCsvHeader;
        foreach (var s in status)
        {
            yield return Csv(
                s.Active.ListId, Number(s.Active.VersionNo), Number(s.VersionCount), s.Active.Format, Date(s.Active.SourceDate),
                ListFreshness.AgeDays(s.Active, today) is { } age ? Number(age) : null, ListFreshness.IsStale(s.Active, today) ? "true" : "false",
                s.Active.ImportedAt.ToString(), Number(s.Active.EntityCount), Number(s.Active.NameCount), s.Active.Note);
        }
    }

    /// <summary>
    /// The diff as one line: the list, the two versions (<c>base</c>, <c>head</c>) and the entries added, removed and
    /// changed, each with <c>list</c>, <c>entity_id</c> and <c>name</c>.
    /// </summary>
    public static string Diff(ListDiff diff)
    {
        ArgumentNullException.ThrowIfNull(diff);
        object Entries(IReadOnlyList<EntityRef> refs) => refs.Select(r => new Dictionary<string, string>
        {
            ["list"] = r.ListId, ["entity_id"] = r.EntityId, ["name"] = diff.NameOf(r),
        });
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["list"] = diff.ListId, ["base"] = diff.FromVersion, ["head"] = diff.ToVersion,
            ["added"] = Entries(diff.Added), ["removed"] = Entries(diff.Removed), ["changed"] = Entries(diff.Changed),
        }, Options);
    }

    /// <summary>
    /// One line per version an import created (several for a series of delta files): the version, its counts and source
    /// date, whether the files were already the active version, and the counts of entries added, removed and changed.
    /// </summary>
    public static IEnumerable<string> Imported(IReadOnlyList<ImportResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        return results.Select(r => JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["list"] = r.Version.ListId,
            ["version"] = r.Version.VersionNo,
            ["format"] = r.Version.Format,
            ["source_date"] = Date(r.Version.SourceDate),
            ["entities"] = r.Version.EntityCount,
            ["names"] = r.Version.NameCount,
            ["unchanged"] = r.Unchanged,
            ["base"] = r.Changes?.FromVersion,
            ["added"] = r.Changes?.Added.Count,
            ["removed"] = r.Changes?.Removed.Count,
            ["changed"] = r.Changes?.Changed.Count,
            ["note"] = r.Version.Note,
        }, Options));
    }

    /// <summary>The CSV columns of <see cref="DiffCsv"/>.</summary>
    public const string DiffCsvHeader = "change,list,entity_id,name";

    /// <summary>The diff as CSV, one row per entry (<c>added</c>, <c>removed</c>, <c>changed</c>), with a header row.</summary>
    public static IEnumerable<string> DiffCsv(ListDiff diff)
    {
        ArgumentNullException.ThrowIfNull(diff);
        yield return DiffCsvHeader;
        foreach (var (change, entries) in Changes(diff))
        {
            foreach (var r in entries)
                yield return Csv(change, r.ListId, r.EntityId, diff.NameOf(r));
        }
    }

    /// <summary>The three kinds of change with their entries, in the order they are shown.</summary>
    public static IEnumerable<(string Change, IReadOnlyList<EntityRef> Entries)> Changes(ListDiff diff)
    {
        ArgumentNullException.ThrowIfNull(diff);
        return [("added", diff.Added), ("removed", diff.Removed), ("changed", diff.Changed)];
    }

    /// <summary>One CSV row: fields with a comma, quote or line break are quoted, quotes doubled (RFC 4180).</summary>
    public static string Csv(params string?[] fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var row = new StringBuilder();
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
                row.Append(',');
            var field = fields[i] ?? "";
            if (field.AsSpan().IndexOfAny(",\"\r\n") >= 0)
                row.Append('"').Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            else
                row.Append(field);
        }
        return row.ToString();
    }

    private static string? Date(LocalDate? date) => date is { } d ? LocalDatePattern.Iso.Format(d) : null;

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
