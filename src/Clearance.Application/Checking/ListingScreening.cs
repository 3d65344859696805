using System.Globalization;
using Clearance.Model;
using Clearance.Screening;
using NodaTime;

namespace Clearance.Application;

/// <summary>What screening the end user answered for one fact a regime declares <c>screened_by</c> a list.</summary>
/// <param name="Fact">The fact, e.g. "us_entity_list".</param>
/// <param name="Value">"true" or "false", or null when screening cannot answer it (the fact is then left to the shipment).</param>
/// <param name="Match">The list entry that decided it, or null when none matched.</param>
/// <param name="Effect">What the match does, in words, for <c>end_user_matches</c>.</param>
public sealed record ScreenedFact(string Fact, string? Value, EndUserMatch? Match, string Effect);

/// <summary>Whether a listing applied on a day, and why.</summary>
public enum ListingInForce : byte
{
    /// <summary>The listing applied on the day.</summary>
    Yes,
    /// <summary>The listing did not apply yet on the day.</summary>
    No,
    /// <summary>The content cannot say: the listing rule's effective date is not in the content and the day is near its year.</summary>
    Unknown,
}

/// <summary>
/// When an entry of a dated list (the Entity List, the Military End-User List) applies: from the effective date of the
/// Federal Register rule that added it, which the Consolidated Screening List cites but does not date. The content's
/// <see cref="Jurisdiction.ListingRules"/> give those dates, each with its source; a rule not among them is dated by its
/// Federal Register volume, whose year is known, and the day stays unknown near that year.
/// </summary>
public static class ListingDates
{
    /// <summary>
    /// Days before the first day of the volume's year from which a rule of that volume may already apply: a rule can be
    /// made effective on the day it is filed for public inspection, days before it is printed (the Huawei rule of
    /// 16 May 2019 was printed on 21 May at 84 FR 22961). A month covers that with room.
    /// </summary>
    private const int EarliestBeforeVolumeYear = 31;

    /// <summary>
    /// Days after the volume's year within which a rule of that volume may still take effect: Entity List rules apply on
    /// publication or shortly after, and a rule printed in late December with a delayed effective date takes effect in
    /// the following weeks. Two months covers that with room.
    /// </summary>
    private const int LatestAfterVolumeYear = 59;

    /// <summary>The first Federal Register volume's year minus one: volume 84 is 2019.</summary>
    private const int VolumeYearOffset = 1935;

    /// <summary>The rule that added <paramref name="listing"/>: the earliest of the Federal Register citations it carries.</summary>
    /// <returns>The citation ("84 FR 22963") with its volume and page, or null when the entry cites none.</returns>
    public static (string Rule, int Volume, int Page)? AddingRule(ExportListing listing)
    {
        ArgumentNullException.ThrowIfNull(listing);
        (string Rule, int Volume, int Page)? earliest = null;
        foreach (var citation in listing.FederalRegisterNotices)
        {
            var parts = citation.Split(' ');
            if (parts.Length == 3 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var volume)
                && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var page)
                && (earliest is not { } e || (volume, page).CompareTo((e.Volume, e.Page)) < 0))
            {
                earliest = (citation, volume, page);
            }
        }

        return earliest;
    }

    /// <summary>Whether <paramref name="entity"/>'s listing applied on <paramref name="date"/>, with the reason in words.</summary>
    /// <param name="entity">The list entry.</param>
    /// <param name="rules">The jurisdiction's dated listing rules.</param>
    /// <param name="date">The export date.</param>
    public static (ListingInForce InForce, string Reason) On(ListEntity entity, IReadOnlyList<ListingRule> rules, LocalDate date)
    {
        ArgumentNullException.ThrowIfNull(entity);
        ArgumentNullException.ThrowIfNull(rules);
        var onListFile = entity.SourceDate is { } published && date >= published;
        if (entity.Listing is not { } listing || AddingRule(listing) is not { } adding)
        {
            return onListFile
                ? (ListingInForce.Yes, $"on the list of {Iso(entity.SourceDate!.Value)}")
                : (ListingInForce.Unknown, "the list gives no Federal Register rule for the entry, so the day it was added is not known");
        }

        if (rules.FirstOrDefault(r => r.Covers(adding.Volume, adding.Page)) is { } rule)
        {
            var dated = rule.Rule == adding.Rule ? $"{rule.Rule}, effective {Iso(rule.Effective)}" : $"{adding.Rule}, the rule at {rule.Rule} effective {Iso(rule.Effective)}";
            return date >= rule.Effective
                ? (ListingInForce.Yes, $"listed from {Iso(rule.Effective)} ({dated})")
                : (ListingInForce.No, $"not yet listed on {Iso(date)}: listed from {Iso(rule.Effective)} ({dated})");
        }

        var year = VolumeYearOffset + adding.Volume;
        var earliest = new LocalDate(year, 1, 1).PlusDays(-EarliestBeforeVolumeYear);
        var latest = new LocalDate(year + 1, 1, 1).PlusDays(LatestAfterVolumeYear);
        if (date < earliest)
        {
            return (ListingInForce.No, $"not yet listed on {Iso(date)}: added by {adding.Rule}, a rule of {year}");
        }

        if (date >= latest || onListFile)
        {
            return (ListingInForce.Yes, $"listed by {adding.Rule}, a rule of {year}");
        }

        return (ListingInForce.Unknown, $"added by {adding.Rule}, a rule of {year} whose effective date is not in the content");
    }

    /// <summary>
    /// Whether an entry's licence requirement column makes it depend on something the line does not state: a project end
    /// use ("when used in projects specified in § 746.8(a)(4)"), an item list of its own ("items ... listed in supplement
    /// no. 7 to part 746"), items carved out ("except", "apart from") or a licence exception that may overcome it. The
    /// content's rule for the list then does not decide alone; the entry's column is shown instead.
    /// </summary>
    /// <param name="requirement">The licence requirement column as printed.</param>
    public static bool IsConditional(string requirement)
    {
        ArgumentNullException.ThrowIfNull(requirement);
        string[] conditions = ["when used", "except", "apart from", "may be overcome", "supplement no. 7", "other than", "excluding"];
        return conditions.Any(c => requirement.Contains(c, StringComparison.OrdinalIgnoreCase));
    }

    private static string Iso(LocalDate date) => date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);
}
