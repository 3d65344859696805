using System.Text;
using System.Text.Json;
using Clearance.Content;
using Clearance.Evaluation;
using NodaTime;
using NodaTime.Text;

namespace Clearance.Application.Tests;

/// <summary>
/// Issue 12, <c>impact</c>: what the changes known on a day do to order lines planned after it. Boundaries on both
/// sides: the announcement day, the effective day, and the day the standard review of a licence applied for ends.
/// </summary>
public sealed class ImpactAnalysisTests
{
    private static readonly Model.ContentSet Content = ContentLoader.LoadBuiltIn();

    private const string HydrogenFluoride = "JP:3(1)/2(1)(i)(he)";

    private static LocalDate D(string text) => LocalDatePattern.Iso.Parse(text).Value;

    private static ImpactResult Analyse(string knownAsOf, string item, string to, string date, string? held = null, string endUse = "civil")
    {
        var analysis = new ImpactAnalysis(Content, D(knownAsOf), EndUserScreening.None);
        var line = new ShipmentText(new ShipmentId("t", false), date, "JP", to, [item], EndUse: endUse, Held: held is null ? null : [held],
            ValueGiven: true, ValueAmount: "1000000", ValueCurrency: "JPY", Customer: "Samsung Electronics").Validate(1);
        return analysis.Analyse(line);
    }

    [Fact]
    public void Analyse_KnownBeforeAnnouncement_NothingChanges()
    {
        Assert.Null(Analyse("2019-06-30", HydrogenFluoride, "KR", "2019-07-10").Changed);
    }

    [Fact]
    public void Analyse_KnownOnAnnouncement_LineAfter4JulyNeedsAnIndividualLicence()
    {
        var changed = Analyse("2019-07-01", HydrogenFluoride, "KR", "2019-07-04").Changed;

        Assert.NotNull(changed);
        Assert.Equal(["individual"], changed.LicenseNeeded);
        Assert.Equal(90, changed.After.Determination.ReviewDays);
        Assert.Equal(D("2019-09-29"), changed.EarliestDecision);
        Assert.True(changed.AtRisk);
        Assert.Contains(changed.Causes, c => c.Change.Subject == "jp.kr-2019-07.general-bulk-withdrawn" && c.Change.Known!.Date == D("2019-07-01"));
        Assert.All(changed.Causes, c => Assert.Equal(D("2019-07-04"), c.Change.Date));
    }

    [Fact]
    public void Analyse_KnownOnAnnouncement_LineOn3JulyUnchanged()
    {
        Assert.Null(Analyse("2019-07-01", HydrogenFluoride, "KR", "2019-07-03").Changed);
    }

    [Theory]
    [InlineData("2019-09-28", true)]
    [InlineData("2019-09-29", false)]
    public void Analyse_ShipDateAgainstTheEndOfTheReview_AtRiskOnlyBefore(string date, bool atRisk)
    {
        var changed = Analyse("2019-07-01", "JP:7(19)", "KR", date).Changed;

        Assert.NotNull(changed);
        Assert.Equal(atRisk, changed.AtRisk);
    }

    [Fact]
    public void Analyse_OtherDestination_Unchanged()
    {
        Assert.Null(Analyse("2019-07-01", HydrogenFluoride, "TW", "2019-09-01").Changed);
    }

    [Fact]
    public void Analyse_KnownOnCabinetDecision_JulyMeasureNoLongerACause()
    {
        // As of 2 Aug 2019 the 4 July measure is in force on both sides: a hydrogen fluoride line does not change.
        Assert.Null(Analyse("2019-08-02", HydrogenFluoride, "KR", "2019-09-10", held: "individual").Changed);
    }

    [Fact]
    public void Analyse_ListedGoodsKnownOnCabinetDecision_LoseGeneralBulkFrom28August()
    {
        Assert.Null(Analyse("2019-08-02", "JP:6(1)", "KR", "2019-08-27", held: "general-bulk").Changed);
        var changed = Analyse("2019-08-02", "JP:6(1)", "KR", "2019-08-28", held: "general-bulk").Changed;

        Assert.NotNull(changed);
        Assert.Equal("general-bulk", changed.Before.CoveredBy);
        Assert.Null(changed.After.CoveredBy);
        Assert.DoesNotContain("general-bulk", changed.LicenseNeeded);
        Assert.Contains(changed.Causes, c => c.Change.Subject == "KR table-3" && c.Change.Kind == "membership-end");
        Assert.DoesNotContain(changed.Causes, c => c.Change.Kind == "group-change");
    }

    [Fact]
    public void Analyse_ListedGoodsKnownTheDayBeforeTheDecision_Unchanged()
    {
        Assert.Null(Analyse("2019-08-01", "JP:6(1)", "KR", "2019-09-10", held: "general-bulk").Changed);
    }

    [Fact]
    public void Analyse_SpecialGeneralBulkHeld_StillCovered()
    {
        var changed = Analyse("2019-08-02", "JP:6(1)", "KR", "2019-09-10", held: "special-general-bulk").Changed;

        Assert.NotNull(changed);
        Assert.True(changed.StillCovered);
        Assert.False(changed.AtRisk);
        Assert.Empty(changed.LicenseNeeded);
    }

    [Fact]
    public void Analyse_Restoration2023_RelievedNotAtRisk()
    {
        var changed = Analyse("2023-03-16", HydrogenFluoride, "KR", "2023-04-01").Changed;

        Assert.NotNull(changed);
        Assert.True(changed.Better);
        Assert.False(changed.AtRisk);
        Assert.Contains("special-general-bulk", changed.After.Determination.EligibleLicenses);
    }

    [Fact]
    public void Analyse_LineShippedByTheReportDay_Unchanged()
    {
        Assert.Null(Analyse("2019-07-01", HydrogenFluoride, "KR", "2019-07-01").Changed);
    }

    [Fact]
    public void Run_Book_ChangedLinesThenSummaryWithTotals()
    {
        var book = string.Join("\n",
            """{"id":"a","customer":"Samsung Electronics","date":"2019-07-10","from":"JP","to":"KR","item":"JP:3(1)/2(1)(i)(he)","value":{"amount":100,"currency":"JPY"}}""",
            """{"id":"b","customer":"Samsung Electronics","date":"2019-06-20","from":"JP","to":"KR","item":"JP:7(19)","value":{"amount":50,"currency":"JPY"}}""",
            """{"id":"c","customer":"TSMC","date":"2019-07-10","from":"JP","to":"TW","item":"JP:7(19)"}""",
            """{"id":"d","date":"2019-07-10","from":"JP","to":"KR","item":"JP:7(19)","custmer":"typo"}""");
        using var output = new MemoryStream();
        var summary = ImpactBatch.Run(new ImpactAnalysis(Content, D("2019-07-01"), EndUserScreening.None),
            JsonLinesInput.Read(new MemoryStream(Encoding.UTF8.GetBytes(book))), output);

        var records = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(3, records.Count);
        Assert.Equal("a", records[0].GetProperty("id").GetString());
        Assert.Equal("2019-09-29", records[0].GetProperty("earliest_decision").GetString());
        Assert.True(records[0].GetProperty("at_risk").GetBoolean());
        Assert.Equal("2019-07-01", records[0].GetProperty("causes")[0].GetProperty("known").GetString());
        Assert.Equal("unknown-field", records[1].GetProperty("error").GetProperty("code").GetString());
        var totals = records[2].GetProperty("summary");
        Assert.Equal(4, totals.GetProperty("lines").GetInt64());
        Assert.Equal(1, totals.GetProperty("errors").GetInt64());
        Assert.Equal(1, totals.GetProperty("changed").GetInt64());
        Assert.Equal(100, totals.GetProperty("value_at_risk")[0].GetProperty("amount").GetDecimal());
        Assert.Equal("Samsung Electronics", totals.GetProperty("by_customer")[0].GetProperty("customer").GetString());
        Assert.Equal(1, summary.Total.AtRisk);
    }

    [Fact]
    public void Run_LineWithoutCustomer_GroupedByPurchaserBeforeConsignee()
    {
        var book = string.Join("\n",
            """{"id":"a","purchaser":"Samsung Electronics","consignee":"Samsung Logistics","date":"2019-07-10","from":"JP","to":"KR","item":"JP:3(1)/2(1)(i)(he)"}""",
            """{"id":"b","consignee":"SK Hynix","date":"2019-07-10","from":"JP","to":"KR","item":"JP:3(1)/2(1)(i)(he)"}""",
            """{"id":"c","customer":"LG Display","purchaser":"LG Corp","date":"2019-07-10","from":"JP","to":"KR","item":"JP:3(1)/2(1)(i)(he)"}""");
        using var output = new MemoryStream();
        ImpactBatch.Run(new ImpactAnalysis(Content, D("2019-07-01"), EndUserScreening.None),
            JsonLinesInput.Read(new MemoryStream(Encoding.UTF8.GetBytes(book))), output);

        var summary = JsonDocument.Parse(Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1])
            .RootElement.GetProperty("summary");
        var customers = summary.GetProperty("by_customer").EnumerateArray().Select(c => c.GetProperty("customer").GetString()).ToList();
        Assert.Equal(["LG Display", "SK Hynix", "Samsung Electronics"], customers);
    }

    // A hypothetical change (issue 12, overlays): the README's example, Korea leaves Group A on 2027-01-01, known 2026-11-20.
    private static readonly Model.ContentSet KoreaLeavesGroupA = OverlayLoader.ApplyFiles(Content, [ExampleOverlay()]);

    private static string ExampleOverlay()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Clearance.slnx")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.FullName ?? throw new DirectoryNotFoundException("repository root (Clearance.slnx) not found"), "docs", "examples", "korea-leaves-group-a-2027.yaml");
    }

    private static ImpactResult AnalyseWith(string reportDay, string to, string date)
    {
        var analysis = new ImpactAnalysis(Content, KoreaLeavesGroupA, D(reportDay), EndUserScreening.None);
        var line = new ShipmentText(new ShipmentId("t", false), date, "JP", to, ["JP:6"], EndUse: "civil", Held: ["general-bulk"],
            ValueGiven: true, ValueAmount: "1000000", ValueCurrency: "JPY", Customer: "Samsung Electronics").Validate(1);
        return analysis.Analyse(line);
    }

    [Theory]
    [InlineData("2026-12-31", false)]
    [InlineData("2027-01-01", true)]
    public void Analyse_WithOverlay_ChangedFromItsEffectiveDay(string date, bool changed)
    {
        Assert.Equal(changed, AnalyseWith("2026-12-01", "KR", date).Changed is not null);
    }

    [Fact]
    public void Analyse_WithOverlay_CausesAreTheOverlaysChangesOnly()
    {
        var changed = AnalyseWith("2026-12-01", "KR", "2027-02-01").Changed!;

        Assert.Equal("general-bulk", changed.Before.CoveredBy);
        Assert.True(changed.NeedsLicense);
        Assert.Equal(["KR group-b", "KR table-3"], changed.Causes.Select(c => c.Change.Subject).Order(StringComparer.Ordinal));
        Assert.All(changed.Causes, c => Assert.Equal(D("2027-01-01"), c.Change.Date));
        Assert.Equal(D("2027-03-01"), changed.EarliestDecision);
    }

    [Theory]
    [InlineData("2027-02-28", true)]
    [InlineData("2027-03-01", false)]
    public void Analyse_WithOverlay_AtRiskBeforeTheReviewEndsCountedFromTheReportDay(string date, bool atRisk)
    {
        Assert.Equal(atRisk, AnalyseWith("2026-12-01", "KR", date).Changed!.AtRisk);
    }

    [Fact]
    public void Analyse_WithOverlay_OtherDestinationAndShippedLinesUnchanged()
    {
        Assert.Null(AnalyseWith("2026-12-01", "US", "2027-02-01").Changed);
        Assert.Null(AnalyseWith("2027-02-01", "KR", "2027-02-01").Changed);
    }
}
