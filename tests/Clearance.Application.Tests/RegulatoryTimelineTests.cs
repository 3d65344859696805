using NodaTime;
using NodaTime.Text;

namespace Clearance.Application.Tests;

public sealed class RegulatoryTimelineTests
{
    private static readonly RulesQueries Rules = new(ContentSetup.Evaluator().Content);
    private static readonly LocalDate Today = new(2026, 1, 15);

    /// <summary>The chart from its first to its last day, both included (the page's <c>from</c> and <c>to</c>).</summary>
    private static RegulatoryTimeline Of(string jurisdiction, string country, string? from, string? to) =>
        RegulatoryTimeline.Of(Rules, new Input("jurisdiction", jurisdiction), new Input("country", country),
            DateWindow.ParseDays(from is null ? null : new Input("from", from), to is null ? null : new Input("to", to)), Today);

    /// <summary>The chart of the window [since, until), as <c>rules timeline --since --until</c> reads it.</summary>
    private static RegulatoryTimeline Window(string jurisdiction, string country, string? since, string? until) =>
        RegulatoryTimeline.Of(Rules, new Input("jurisdiction", jurisdiction), new Input("country", country),
            DateWindow.Parse(since is null ? null : new Input("since", since), until is null ? null : new Input("until", until)), Today);

    private static string? Iso(LocalDate? date) => date is { } d ? LocalDatePattern.Iso.Format(d) : null;

    [Fact]
    public void Of_JapanToKorea2018To2024_GroupsAndTheWithdrawalOfBulkLicencesAsBars()
    {
        var timeline = Of("JP", "KR", "2018-01-01", "2024-12-31");

        var groups = timeline.Rows[0];
        Assert.Equal("group", groups.Kind);
        Assert.Equal(["White country (Appended Table 3)", "Group A (Appended Table 3)", "Group B", "Group A (Appended Table 3)"], groups.Bars.Select(b => b.Label));
        Assert.Equal(("2019-08-28", "2023-07-21"), (Iso(groups.Bars[2].From), Iso(groups.Bars[2].To)));
        Assert.NotNull(groups.Bars[2].Citation);
        var withdrawn = timeline.Rows.Single(r => r.Id == "jp.kr-2019-07.general-bulk-withdrawn");
        Assert.Equal("license-deny", withdrawn.Kind);
        Assert.Equal(("2019-07-04", "2023-03-23"), (Iso(withdrawn.Bars.Single().From), Iso(withdrawn.Bars.Single().To)));
        var scope = timeline.Rows.Single(r => r.Id == "jp.general-bulk.scope");
        Assert.Equal("license-allow", scope.Kind);
        Assert.Equal([(null, "2019-08-28"), ("2023-07-21", null)], scope.Bars.Select(b => (Iso(b.From), Iso(b.To))));
        Assert.DoesNotContain(timeline.Rows, r => r.Id == "jp.catch-all.inform.group-a-2025");
        Assert.Equal(["2019-07-04", "2019-08-02", "2019-08-28", "2019-12-20", "2023-03-23", "2023-07-21"], timeline.ChangeDays().Select(d => Iso(d.Key)));
        Assert.All(timeline.Changes, c => Assert.False(string.IsNullOrWhiteSpace(c.Citation.Text)));
    }

    [Theory]
    [InlineData("2019-07-04", "2023-07-21", true, true)]
    [InlineData("2019-07-05", "2023-07-20", false, false)]
    public void Of_WindowEdges_ChangesOnTheFirstAndLastDayIncluded(string from, string to, bool first, bool last)
    {
        var days = Of("JP", "KR", from, to).ChangeDays().Select(d => Iso(d.Key)).ToList();

        Assert.Equal(first, days.Contains("2019-07-04"));
        Assert.Equal(last, days.Contains("2023-07-21"));
        Assert.Contains("2019-12-20", days);
    }

    [Theory]
    [InlineData("2019-07-04", "2023-07-21", true, false)]
    [InlineData("2019-07-05", "2023-07-22", false, true)]
    public void Of_SinceUntil_ChangesOnSinceInOnUntilOut(string since, string until, bool first, bool last)
    {
        var timeline = Window("JP", "KR", since, until);
        var days = timeline.ChangeDays().Select(d => Iso(d.Key)).ToList();

        Assert.Equal(first, days.Contains("2019-07-04"));
        Assert.Equal(last, days.Contains("2023-07-21"));
        Assert.Equal((since, Iso(LocalDatePattern.Iso.Parse(until).Value.PlusDays(-1))), (Iso(timeline.From), Iso(timeline.To)));
    }

    [Fact]
    public void Of_SinceOnly_ToTodayOrTheLastChange()
    {
        var timeline = Window("JP", "KR", "2023-01-01", null);

        Assert.Equal("2023-01-01", Iso(timeline.From));
        Assert.True(timeline.To >= Today, Iso(timeline.To));
        Assert.DoesNotContain(timeline.ChangeDays(), d => d.Key < new LocalDate(2023, 1, 1));
    }

    [Fact]
    public void Of_KoreaToJapan_TheGa2Period()
    {
        var timeline = Of("KR", "JP", null, null);

        var ga2 = timeline.Rows[0].Bars.Single(b => b.Label.StartsWith("Ga-2", StringComparison.Ordinal));
        Assert.Equal(("2019-09-18", "2023-04-24"), (Iso(ga2.From), Iso(ga2.To)));
        Assert.Equal(RegulatoryTimeline.DefaultFrom, timeline.From);
        Assert.Equal(Today, timeline.To);
        Assert.Contains(timeline.Rows, r => r.Id == "kr.individual.review.ga-2" && r.Kind == "review-period");
    }

    [Fact]
    public void Of_BadInput_ErrorNamesTheInput()
    {
        Assert.StartsWith("country:", Assert.Throws<RulesQueryException>(() => Of("JP", "Atlantis", null, null)).Message, StringComparison.Ordinal);
        Assert.StartsWith("to:", Assert.Throws<RulesQueryException>(() => Of("JP", "KR", "2020-01-01", "2019-12-31")).Message, StringComparison.Ordinal);
        Assert.StartsWith("from:", Assert.Throws<RulesQueryException>(() => Of("JP", "KR", "2020-13-01", null)).Message, StringComparison.Ordinal);
        Assert.StartsWith("until: 2020-01-01 is not after since 2020-01-01", Assert.Throws<RulesQueryException>(() => Window("JP", "KR", "2020-01-01", "2020-01-01")).Message, StringComparison.Ordinal);
    }
}
