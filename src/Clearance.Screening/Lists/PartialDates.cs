using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;

namespace Clearance.Screening.Lists;

/// <summary>
/// Dates as lists print them ("12 Mar 1965", "Mar 1965", "1965", "circa 1951", "1958 to 1960", "1965-03-12")
/// turned into ISO 8601 partial dates ("1965-03-12", "1965-03", "1965"). A range of years gives each year.
/// </summary>
internal static partial class PartialDates
{
    private const int MaxRangeYears = 20;

    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    [GeneratedRegex(@"^(?:(?<day>\d{1,2})\s+)?(?<month>[A-Za-z]{3})[a-z]*\.?\s+(?<year>\d{4})$")]
    private static partial Regex DayMonthYear();

    [GeneratedRegex(@"^(?<year>\d{4})(?:-(?<month>\d{2})(?:-(?<day>\d{2}))?)?(?:T.*)?$")]
    private static partial Regex Iso();

    [GeneratedRegex(@"^(?<month>\d{1,2})/(?<day>\d{1,2})/(?<year>\d{4})$")]
    private static partial Regex UsSlashed();

    [GeneratedRegex(@"\s+(?:to|-|–)\s+")]
    private static partial Regex RangeSeparator();

    /// <summary>All dates in a text that may hold several separated by ";" or ",".</summary>
    public static IEnumerable<string> Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            yield break;
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            foreach (var date in ParseOne(part))
                yield return date;
        }
    }

    /// <summary>One date or one range.</summary>
    public static IEnumerable<string> ParseOne(string text)
    {
        var cleaned = text.Trim().TrimEnd('.');
        if (cleaned.StartsWith("circa ", StringComparison.OrdinalIgnoreCase))
            cleaned = cleaned[6..].Trim();
        var range = RangeSeparator().Split(cleaned);
        if (range.Length == 2 && ToIso(range[0]) is { } from && ToIso(range[1]) is { } to)
        {
            var fromYear = int.Parse(from[..4], CultureInfo.InvariantCulture);
            var toYear = int.Parse(to[..4], CultureInfo.InvariantCulture);
            if (toYear >= fromYear && toYear - fromYear <= MaxRangeYears)
            {
                for (var year = fromYear; year <= toYear; year++)
                    yield return year.ToString(CultureInfo.InvariantCulture);
                yield break;
            }
        }
        if (ToIso(cleaned) is { } single)
            yield return single;
    }

    /// <summary>One date to ISO partial form, or null when it is not a date.</summary>
    public static string? ToIso(string text)
    {
        var t = text.Trim();
        var m = Iso().Match(t);
        if (m.Success)
            return Compose(m.Groups["year"].Value, m.Groups["month"].Value, m.Groups["day"].Value);
        m = DayMonthYear().Match(t);
        if (m.Success)
        {
            var month = Array.IndexOf(Months, m.Groups["month"].Value.ToLowerInvariant()) + 1;
            if (month == 0)
                return null;
            return Compose(m.Groups["year"].Value, month.ToString("00", CultureInfo.InvariantCulture), m.Groups["day"].Value);
        }
        m = UsSlashed().Match(t);
        if (m.Success)
            return Compose(m.Groups["year"].Value, m.Groups["month"].Value, m.Groups["day"].Value);
        return null;
    }

    /// <summary>A full date (yyyy-MM-dd at the start of the text), for source dates.</summary>
    public static LocalDate? ToLocalDate(string? text)
    {
        if (text is null || text.Length < 10)
            return null;
        return DateOnly.TryParseExact(text.AsSpan(0, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? new LocalDate(d.Year, d.Month, d.Day)
            : null;
    }

    [GeneratedRegex(@"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")]
    private static partial Regex DateInName();

    /// <summary>The date a file name carries ("sdn_2024-05-03.csv"), taken as the list's publication date.</summary>
    public static LocalDate? FromFileName(string path)
    {
        var m = DateInName().Match(Path.GetFileName(path));
        return m.Success ? ToLocalDate(m.Value) : null;
    }

    private static string? Compose(string year, string month, string day)
    {
        var y = int.Parse(year, CultureInfo.InvariantCulture);
        if (y is < 1850 or > 2100)
            return null;
        if (month.Length == 0)
            return year;
        var mo = int.Parse(month, CultureInfo.InvariantCulture);
        if (mo is < 1 or > 12)
            return null;
        if (day.Length == 0)
            return $"{year}-{mo:00}";
        var d = int.Parse(day, CultureInfo.InvariantCulture);
        if (d < 1 || d > DateTime.DaysInMonth(y, mo))
            return null;
        return $"{year}-{mo:00}-{d:00}";
    }
}
