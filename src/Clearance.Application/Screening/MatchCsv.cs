using System.Globalization;
using System.Text;
using Clearance.Screening;
using Clearance.Screening.Matching;

namespace Clearance.Application;

/// <summary>
/// Screening results as CSV for spreadsheets (<c>--output csv</c>): a header row, then one row per match; a party
/// without a match has one row with its total of 0 and the match columns empty, a line in error one row with its error.
/// Multi-valued columns (programmes, countries, dates of birth, identifiers) are joined with "; ".
/// </summary>
public static class MatchCsv
{
    /// <summary>The header row (with its line break).</summary>
    public const string Header =
        "id,line,query,total,rank,score,list,entity_id,name,matched_name,kind,programs,countries,birth_dates,identifiers,source_date,listings,why,screened_against,error_code,error_message\n";

    /// <summary>The rows of one result (each with its line break).</summary>
    /// <param name="id">The party's id (null for a single name).</param>
    /// <param name="line">The input line (null for a single name).</param>
    /// <param name="query">The name screened (null for a line in error).</param>
    /// <param name="matches">The matches returned.</param>
    /// <param name="total">The number of entries at or above the threshold.</param>
    /// <param name="screenedAgainst">The list versions, as <see cref="ScreenedAgainst"/> words them.</param>
    /// <param name="error">The line's error, if any.</param>
    public static string Rows(string? id, long? line, string? query, IReadOnlyList<ScreeningMatch> matches, int total, string screenedAgainst, LineError? error)
    {
        ArgumentNullException.ThrowIfNull(matches);
        var rows = new StringBuilder();
        string lineText = line?.ToString(CultureInfo.InvariantCulture) ?? "";
        if (error is not null)
        {
            Row(rows, [id, lineText, query, "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", screenedAgainst, error.Code, error.Message]);
            return rows.ToString();
        }

        string totalText = total.ToString(CultureInfo.InvariantCulture);
        if (matches.Count == 0)
        {
            Row(rows, [id, lineText, query, totalText, "", "", "", "", "", "", "", "", "", "", "", "", "", "", screenedAgainst, "", ""]);
        }

        for (int i = 0; i < matches.Count; i++)
        {
            ScreeningMatch match = matches[i];
            ListEntity entity = match.Entity;
            Row(rows,
            [
                id, lineText, query, totalText, (i + 1).ToString(CultureInfo.InvariantCulture),
                match.Score.ToString("0.0000", CultureInfo.InvariantCulture), match.ListId, match.EntityId, match.PrimaryName, match.MatchedName,
                match.Kind == EntityKind.Unknown ? "" : MatchJson.KindName(match.Kind),
                string.Join("; ", match.Programs), string.Join("; ", match.Countries), string.Join("; ", match.BirthDates),
                string.Join("; ", match.Identifiers.Select(Identifier)), MatchJson.IsoDate(entity.SourceDate) ?? "",
                Listings(match), MatchJson.Summary(match.Explanation), screenedAgainst, "", "",
            ]);
        }

        return rows.ToString();
    }

    /// <summary>"ofac-sdn v3 2024-05-03; meti-eul v1 2025-09-29": the list versions in one cell (files without a version: "file").</summary>
    public static string ScreenedAgainst(IReadOnlyList<ScreenedList> lists)
    {
        ArgumentNullException.ThrowIfNull(lists);
        return string.Join("; ", lists.Select(l =>
            $"{l.ListId} {(l.Version is { } v ? "v" + v.ToString(CultureInfo.InvariantCulture) : "file")}{(l.SourceDate is null ? "" : " " + MatchJson.IsoDate(l.SourceDate))}"));
    }

    /// <summary>"ofac-sdn 12927 2024-05-03; csl-sdn 8254 2026-07-31": every listing of the matched party, gravest first, with its list's source date.</summary>
    public static string Listings(ScreeningMatch match)
    {
        ArgumentNullException.ThrowIfNull(match);
        return string.Join("; ", match.Listings.Select(l => $"{l.ListId} {l.EntityId}{(l.SourceDate is null ? "" : " " + MatchJson.IsoDate(l.SourceDate))}"));
    }

    /// <summary>"Passport 123 (KP)".</summary>
    public static string Identifier(EntityIdentifier identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        return identifier.Country is null ? $"{identifier.Type} {identifier.Value}" : $"{identifier.Type} {identifier.Value} ({identifier.Country})";
    }

    /// <summary>One CSV row (with its line break), fields quoted where needed.</summary>
    /// <param name="fields">The fields; null is empty.</param>
    public static string Row(params string?[] fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var row = new StringBuilder();
        Row(row, fields);
        return row.ToString();
    }

    private static void Row(StringBuilder rows, string?[] fields)
    {
        for (int i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                rows.Append(',');
            }

            string field = fields[i] ?? "";
            if (field.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (field.Length > 0 && (field[0] == ' ' || field[^1] == ' ')))
            {
                rows.Append('"').Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                rows.Append(field);
            }
        }

        rows.Append('\n');
    }
}
