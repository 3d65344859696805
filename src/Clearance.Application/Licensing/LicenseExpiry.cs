using Clearance.Store;
using NodaTime;

namespace Clearance.Application;

/// <summary>Which licences run out soon: the filter of <c>licenses list --expiring-within</c> and of the service's licence list.</summary>
public static class LicenseExpiry
{
    /// <summary>"90d" or "90" as a number of days; null when it is neither.</summary>
    public static int? ParseDays(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var digits = text.EndsWith('d') ? text[..^1] : text;
        return int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var days) ? days : null;
    }

    /// <summary>
    /// The records whose validity ends after <paramref name="today"/> and at most <paramref name="withinDays"/> days
    /// after it (the last valid day counted), all of them when <paramref name="withinDays"/> is null.
    /// </summary>
    public static IReadOnlyList<LicenseRecord> Filter(IEnumerable<LicenseRecord> records, LocalDate today, int? withinDays) =>
        [.. records.Where(r => withinDays is not { } d || (r.License.Validity.To is { } end && end > today && end <= today.PlusDays(d + 1)))];
}
