using System.Globalization;
using System.Text;
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
    /// <summary>
    /// One line per list: its active version, counts, hash, note (e.g. an allowed shrink; null for most versions), how the
    /// version became active, and the age of its source date on <paramref name="today"/> with <c>stale</c> past 30 days.
    /// </summary>
    public static IEnumerable<string> Status(IReadOnlyList<ListStatus> status, LocalDate today)
    {
        ArgumentNullException.ThrowIfNull(status);
        return status.Select(s => JsonSerializer.Serialize(
            new ListStatusLine(
                s.Active.ListId, s.Active.VersionNo, s.VersionCount, s.Active.Format, Date(s.Active.SourceDate), ListFreshness.AgeDays(s.Active, today),
                ListFreshness.IsStale(s.Active, today), s.Active.ImportedAt.ToString(), s.Active.EntityCount, s.Active.NameCount, s.Active.Sha256,
                s.EntitiesByList, s.Active.Note, s.Activation?.ActivatedAt.ToString(), s.Activation?.Kind, s.Activation?.Note),
            WireJsonContext.Relaxed.ListStatusLine));
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
        List<ListDiffEntry> Entries(IReadOnlyList<EntityRef> refs) => [.. refs.Select(r => new ListDiffEntry(r.ListId, r.EntityId, diff.NameOf(r)))];
        return JsonSerializer.Serialize(
            new ListDiffLine(diff.ListId, diff.FromVersion, diff.ToVersion, Entries(diff.Added), Entries(diff.Removed), Entries(diff.Changed)),
            WireJsonContext.Relaxed.ListDiffLine);
    }

    /// <summary>
    /// One line per version an import created (several for a series of delta files): the version, its counts and source
    /// date, whether the files were already the active version, and the counts of entries added, removed and changed.
    /// </summary>
    public static IEnumerable<string> Imported(IReadOnlyList<ImportResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        return results.Select(r => JsonSerializer.Serialize(
            new ListImportedLine(
                r.Version.ListId, r.Version.VersionNo, r.Version.Format, Date(r.Version.SourceDate), r.Version.EntityCount, r.Version.NameCount,
                r.Unchanged, r.Changes?.FromVersion, r.Changes?.Added.Count, r.Changes?.Removed.Count, r.Changes?.Changed.Count, r.Version.Note),
            WireJsonContext.Relaxed.ListImportedLine));
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

/// <summary>The wire form of one line of <see cref="ListsJson.Status"/> (snake_case names, in this order).</summary>
internal sealed record ListStatusLine(
    string List, int Version, int Versions, string Format, string? SourceDate, int? SourceAgeDays, bool Stale, string ImportedAt,
    int Entities, int Names, string Sha256, IReadOnlyDictionary<string, int> EntitiesByList, string? Note,
    string? ActivatedAt, string? ActivatedBy, string? ActivationNote);

/// <summary>The wire form of <see cref="ListsJson.Diff"/>: the two versions as <c>base</c> and <c>head</c>, and the entries.</summary>
internal sealed record ListDiffLine(
    string List, int Base, int Head, IReadOnlyList<ListDiffEntry> Added, IReadOnlyList<ListDiffEntry> Removed, IReadOnlyList<ListDiffEntry> Changed);

/// <summary>One entry of a diff: <c>list</c>, <c>entity_id</c>, <c>name</c>.</summary>
internal sealed record ListDiffEntry(string List, string EntityId, string Name);

/// <summary>The wire form of one line of <see cref="ListsJson.Imported"/>: the change counts are null for a list's first version.</summary>
internal sealed record ListImportedLine(
    string List, int Version, string Format, string? SourceDate, int Entities, int Names, bool Unchanged,
    int? Base, int? Added, int? Removed, int? Changed, string? Note);
