using Clearance.Evaluation;
using Clearance.Model;
using NodaTime;
using NodaTime.Text;

namespace Clearance.Tests;

/// <summary>
/// Issue 12, bitemporal content: the rules as they were known on a day. A change announced later is invisible; a change
/// announced before it takes effect is visible from its announcement, with its effect on its own date. Dates are tested
/// on the day before and the day of each announcement.
/// </summary>
public sealed class KnownAsOfTests
{
    private static LocalDate D(string text) => LocalDatePattern.Iso.Parse(text).Value;

    private static Determination Check(string knownAsOf, string item, string to, string date, EndUse endUse = EndUse.Civil)
    {
        var evaluator = new Evaluator(Engine.Content.AsKnownOn(D(knownAsOf)));
        var prefix = item[..item.IndexOf(':', StringComparison.Ordinal)];
        var jurisdiction = evaluator.Jurisdictions[evaluator.IndexOf(prefix)];
        Assert.True(jurisdiction.TryFindItem(item.AsSpan(prefix.Length + 1), out var index));
        return jurisdiction.Evaluate(new ShipmentFacts(D(date), index, CountryCode.Parse(to), endUse, false, EndUserStatus.Clear));
    }

    [Fact]
    public void AsKnownOn_StartAnnouncedLater_PeriodInvisible()
    {
        var period = new Period(D("2019-07-04"), null) { StartKnown = new Announcement(D("2019-07-01"), new Citation("release", null, false, null)) };

        Assert.Null(period.AsKnownOn(D("2019-06-30")));
        Assert.Equal(period, period.AsKnownOn(D("2019-07-01")));
    }

    [Fact]
    public void AsKnownOn_EndAnnouncedLater_PeriodRunsOn()
    {
        var period = new Period(LocalDate.MinIsoValue, D("2019-08-28")) { EndKnown = new Announcement(D("2019-08-02"), new Citation("decision", null, false, null)) };

        Assert.Null(period.AsKnownOn(D("2019-08-01"))!.Value.To);
        Assert.Equal(D("2019-08-28"), period.AsKnownOn(D("2019-08-02"))!.Value.To);
    }

    [Fact]
    public void AsKnownOn_NoAnnouncementGiven_KnownWhenItTookEffect()
    {
        var period = new Period(D("2019-12-20"), null);

        Assert.Null(period.AsKnownOn(D("2019-12-19")));
        Assert.Equal(period, period.AsKnownOn(D("2019-12-20")));
    }

    // 4 Jul 2019 measures, announced by METI on 1 Jul 2019.
    [Fact]
    public void Evaluate_ResistToKoreaKnownOn20190630_BulkStillEligibleAfter4July()
    {
        var determination = Check("2019-06-30", "JP:7(19)", "KR", "2019-07-10");

        Assert.Contains("general-bulk", determination.EligibleLicenses);
    }

    [Fact]
    public void Evaluate_ResistToKoreaKnownOn20190701_IndividualOnlyFrom4July()
    {
        Assert.Contains("general-bulk", Check("2019-07-01", "JP:7(19)", "KR", "2019-07-03").EligibleLicenses);
        var after = Check("2019-07-01", "JP:7(19)", "KR", "2019-07-04");

        Assert.Equal(Verdict.LicenseRequired, after.Verdict);
        Assert.Equal(["individual"], after.EligibleLicenses);
    }

    // Korea's removal from Appended Table 3: cabinet decision 2 Aug 2019, in force 28 Aug 2019.
    [Fact]
    public void Evaluate_RowSixToKoreaKnownOn20190801_GeneralBulkAfter28August()
    {
        Assert.Contains("general-bulk", Check("2019-08-01", "JP:6", "KR", "2019-09-02").EligibleLicenses);
    }

    [Fact]
    public void Evaluate_RowSixToKoreaKnownOn20190802_NoGeneralBulkFrom28August()
    {
        Assert.Contains("general-bulk", Check("2019-08-02", "JP:6", "KR", "2019-08-27").EligibleLicenses);
        Assert.DoesNotContain("general-bulk", Check("2019-08-02", "JP:6", "KR", "2019-08-28").EligibleLicenses);
    }

    // The 2023 restoration of special general bulk, announced 16 Mar 2023, in force 23 Mar 2023.
    [Theory]
    [InlineData("2023-03-15", false)]
    [InlineData("2023-03-16", true)]
    public void Evaluate_HydrogenFluorideToKorea_SpecialGeneralBulkBackOnlyOnceAnnounced(string knownAsOf, bool restored)
    {
        var determination = Check(knownAsOf, "JP:3(1)/2(1)(i)(he)", "KR", "2023-04-01");

        Assert.Equal(restored, determination.EligibleLicenses.Contains("special-general-bulk"));
    }

    // Korea's Ga-2 for Japan: announced 12 Aug 2019, in force 18 Sep 2019.
    [Theory]
    [InlineData("2019-08-11", 5)]
    [InlineData("2019-08-12", 15)]
    public void Evaluate_KoreaToJapanKnownAsOf_ReviewDaysOnceGaTwoAnnounced(string knownAsOf, int reviewDays)
    {
        var determination = Check(knownAsOf, "KR:3C002", "JP", "2019-10-01");

        Assert.Equal(reviewDays, determination.ReviewDays);
    }

    [Fact]
    public void AsKnownOn_VersionNamesTheDay()
    {
        var view = Engine.Content.AsKnownOn(D("2019-07-01"));

        Assert.Equal(Engine.Content.Version + "+known-2019-07-01", view.Version);
    }

    [Fact]
    public void AnnouncementDates_JapanAndKorea_CarryThe2019And2023Announcements()
    {
        var dates = Engine.Content.Jurisdictions.SelectMany(j => j.AnnouncementDates()).Select(d => LocalDatePattern.Iso.Format(d)).ToHashSet();

        Assert.Superset(new HashSet<string> { "2019-07-01", "2019-08-02", "2019-08-12", "2023-03-16", "2023-03-23", "2023-06-27" }, dates);
    }
}
