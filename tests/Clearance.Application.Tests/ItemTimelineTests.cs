using Clearance.Evaluation;
using Clearance.Model;
using NodaTime;
using NodaTime.Text;

namespace Clearance.Application.Tests;

/// <summary>
/// <c>rules timeline --item</c> as the use case answers it: what happened to 3A090 and its paragraphs since 2019, and
/// to a JP item, each date read from the content itself rather than written here.
/// </summary>
public sealed class ItemTimelineTests
{
    private static readonly ContentSet Content = ContentSetup.Evaluator().Content;
    private static readonly RulesQueries Rules = new(Content);
    private static readonly Jurisdiction Us = Content.Find("US")!;
    private static readonly Jurisdiction Jp = Content.Find("JP")!;

    private static ItemTimeline Timeline(string jurisdiction, string item, string? country = null) =>
        Rules.ItemTimeline(new Input("--jurisdiction", jurisdiction), new Input("--item", item), country is null ? null : new Input("--country", country));

    private static string Iso(LocalDate date) => LocalDatePattern.Iso.Format(date);

    /// <summary>The days a reason for control of the entry or of a paragraph below it starts, from its dated code (<c>RS-WW.since-2025-05-15</c>).</summary>
    private static SortedSet<string> DatedReasons(Jurisdiction j, string code) =>
        [.. j.Items.Where(i => i.Code == code || i.Code.StartsWith(code + ".", StringComparison.Ordinal))
            .SelectMany(i => i.Attributes.TryGetValue("columns", out var columns) ? columns : [])
            .Where(c => c.Contains(".since-", StringComparison.Ordinal))
            .Select(c => c[(c.IndexOf(".since-", StringComparison.Ordinal) + ".since-".Length)..])];

    [Fact]
    public void ItemTimeline_3A090_ChangesOnEveryDayTheContentDatesItsReasonsAndEntries()
    {
        var timeline = Timeline("US", "3A090");

        // The CCL text is of one day; what came before is dated by the reasons the later rules wrote and by the gaps
        // that say a paragraph did not exist yet. Those days, read from the content, are the four of the rules' history.
        var reasons = DatedReasons(Us, "3A090");
        Assert.Equal(new[] { "2022-10-07", "2023-11-17", "2024-12-02", "2025-05-15" }, reasons.ToArray());
        var days = timeline.Changes.Select(c => Iso(c.Date)).ToHashSet();
        Assert.Superset(reasons.ToHashSet(), days);
        foreach (var day in reasons)
        {
            // The requirement that selects by each dated reason starts that day; each gap naming the entry or one of its
            // paragraphs (it "did not exist before") ends on the day its text begins.
            var selecting = Us.Requirements.Where(r => r.Items.Where.TryGetValue("columns", out var columns) && columns.Any(c => c.EndsWith(".since-" + day, StringComparison.Ordinal))
                && r.Items.Any && r.Items.Codes.Count == 0).Select(r => r.Id).ToList();
            Assert.NotEmpty(selecting);
            Assert.Contains(timeline.Changes, c => c.Kind == "rule-start" && Iso(c.Date) == day && selecting.Contains(c.Subject));
        }

        var gaps = Us.Requirements.Where(r => r.Kind == RequirementKind.Gap && r.Items.Codes.Any(code => code == "3A090" || code.StartsWith("3A090.", StringComparison.Ordinal))).ToList();
        Assert.NotEmpty(gaps);
        Assert.All(gaps, gap => Assert.Contains(timeline.Changes, c => c.Kind == "rule-end" && c.Subject == gap.Id && c.Date == gap.Periods.Single().To));
        // Each paragraph the later rules added begins on the day its reason for control does (3A090 itself, .b, .c); the
        // January 2025 rule added a reason to an existing paragraph (.a), not a paragraph.
        Assert.Subset(reasons.ToHashSet(), gaps.Select(g => Iso(g.Periods.Single().To!.Value)).ToHashSet());
    }

    [Fact]
    public void ItemTimeline_3A090_EveryRuleNamingItOrAParagraphWithEachPeriodBound()
    {
        var timeline = Timeline("US", "US:3A090");

        var naming = Us.Requirements.Cast<IDatedRule>().Concat(Us.Scope)
            .Where(r => (r is RequirementRule q ? q.Items : ((LicenseScopeRule)r).Items).Codes.Any(code => code == "3A090" || code.StartsWith("3A090.", StringComparison.Ordinal)))
            .ToList();
        Assert.True(naming.Count >= 10, $"{naming.Count} rules name 3A090 or a paragraph");
        foreach (var rule in naming)
        {
            var listed = Assert.Single(timeline.Rules, r => r.Id == rule.Id);
            Assert.Equal("code", listed.Selects);
            foreach (var period in rule.Periods)
            {
                if (!period.IsOpenStart)
                {
                    Assert.Contains(timeline.Changes, c => c.Subject == rule.Id && c.Kind == "rule-start" && c.Date == period.From && c.Known?.Date == period.StartKnown?.Date);
                }

                if (period.To is { } end)
                {
                    Assert.Contains(timeline.Changes, c => c.Subject == rule.Id && c.Kind == "rule-end" && c.Date == end);
                }
            }
        }

        // What each requires: the October 2022 China rule a licence under a stated review; the AI diffusion rule's
        // non-enforcement kept as the content's note; the withdrawn exceptions named.
        Assert.All(timeline.Rules.Where(r => r.Category == "requirement" && r.Kind == "list"), r => Assert.Equal("license-required", r.Effect));
        Assert.Contains(timeline.Rules, r => r.Effect == "deny" && r.License == "LVS" && r.Periods.Single().From == new LocalDate(2022, 10, 7));
        Assert.Contains(timeline.Rules, r => r.Coverage == "part" && r.Citation.Unconfirmed && r.Citation.Note!.Contains("would not enforce", StringComparison.Ordinal));
        Assert.Equal(timeline.Changes.OrderBy(c => c.Date).Select(c => c.Date), timeline.Changes.Select(c => c.Date));
    }

    [Fact]
    public void ItemTimeline_Paragraph_RulesOfTheEntryAboveWholeOfTheParagraphsBelowInPartSiblingsNot()
    {
        var a = Timeline("US", "3A090.a");
        var whole = Timeline("US", "3A090");

        Assert.Equal(["3A090"], a.Item.Above.Select(e => e.Code));
        Assert.Equal(["3A090.a.1", "3A090.a.2"], a.Item.Below.Select(e => e.Code));
        Assert.Contains(a.Item.Attributes["columns"], c => c.StartsWith("RS-WW.since-", StringComparison.Ordinal));
        Assert.Contains("AT1.since-2022-10-07", a.Item.Attributes["columns"]);
        // A rule on 3A090 takes 3A090.a whole; one on 3A090.a takes the ECCN only in part; one on 3A090.b not .a at all.
        var onEcnn = Us.Requirements.First(r => r.Items.Codes.Contains("3A090"));
        var onA = Us.Requirements.First(r => r.Items.Codes.Contains("3A090.a"));
        var onB = Us.Requirements.First(r => r.Items.Codes.Contains("3A090.b"));
        Assert.Equal("whole", a.Rules.Single(r => r.Id == onEcnn.Id).Coverage);
        Assert.Equal("whole", a.Rules.Single(r => r.Id == onA.Id).Coverage);
        Assert.Equal("part", whole.Rules.Single(r => r.Id == onA.Id).Coverage);
        Assert.DoesNotContain(a.Rules, r => r.Id == onB.Id);
        Assert.Contains(whole.Rules, r => r.Id == onB.Id);
        Assert.Equal(Us.ListAsOf, a.Jurisdiction.ListAsOf);
        Assert.Contains(Iso(Us.ListAsOf!.Value), a.Item.ListNote, StringComparison.Ordinal);
    }

    [Fact]
    public void ItemTimeline_WithCountry_OnlyTheRulesThatApplyToItAndItsGroups()
    {
        var china = Timeline("US", "3A090", "China");
        var japan = Timeline("US", "3A090", "JP");
        var all = Timeline("US", "3A090");

        Assert.Equal(CountryCode.Parse("CN"), china.Country);
        Assert.NotEmpty(china.Groups);
        Assert.Empty(all.Groups);
        var toChinaOnly = Us.Requirements.Where(r => r.Items.Codes.Contains("3A090") && r.Destinations.Countries.Contains(CountryCode.Parse("CN")) && r.Destinations.Sets.Count == 0).ToList();
        var toMacauOnly = Us.Requirements.Where(r => r.Items.Codes.Contains("3A090") && r.Destinations.Countries.SequenceEqual([CountryCode.Parse("MO")]) && r.Destinations.Sets.Count == 0).ToList();
        Assert.NotEmpty(toChinaOnly);
        Assert.NotEmpty(toMacauOnly);
        Assert.All(toChinaOnly, r => Assert.Contains(china.Rules, x => x.Id == r.Id));
        Assert.All(toChinaOnly, r => Assert.DoesNotContain(japan.Rules, x => x.Id == r.Id));
        Assert.All(toMacauOnly, r => Assert.DoesNotContain(china.Rules, x => x.Id == r.Id));
        Assert.True(china.Rules.Count < all.Rules.Count);
        var ids = china.Rules.Select(r => r.Id).ToHashSet();
        Assert.All(china.Changes, c => Assert.Contains(c.Subject, ids));
        Assert.Contains(china.Changes, c => c.Kind == "rule-start" && toChinaOnly.Any(r => r.Id == c.Subject && r.Periods[0].From == c.Date));
    }

    [Fact]
    public void ItemTimeline_JapanHydrogenFluorideToKorea_TheWithdrawalsWithTheDaysTheyWereKnown()
    {
        const string fluoride = "3(1)/2(1)(i)(he)";
        var item = Timeline("JP", $"JP:{fluoride}", "KR");
        var row = Timeline("JP", "jp:3(1)", "South Korea");

        var naming = Jp.Scope.Where(s => s.Items.Codes.Contains(fluoride) && s.Destinations.Countries.Contains(CountryCode.Parse("KR"))).ToList();
        Assert.NotEmpty(naming);
        foreach (var rule in naming)
        {
            var period = Assert.Single(rule.Periods);
            Assert.Equal("whole", item.Rules.Single(r => r.Id == rule.Id).Coverage);
            Assert.Equal("part", row.Rules.Single(r => r.Id == rule.Id).Coverage);
            var start = Assert.Single(item.Changes, c => c.Subject == rule.Id && c.Kind == "rule-start");
            Assert.Equal((period.From, period.StartKnown?.Date), (start.Date, start.Known?.Date));
            var end = Assert.Single(item.Changes, c => c.Subject == rule.Id && c.Kind == "rule-end");
            Assert.Equal((period.To, period.EndKnown?.Date), (end.Date, end.Known?.Date));
            Assert.True(start.Known!.Date < start.Date, $"{rule.Id}: announced before it took effect");
        }

        Assert.Null(item.Item.ListNote);
        Assert.Contains(item.Groups, g => g.Groups.Contains("Group B"));
    }

    [Fact]
    public void ShowAndDiff_WithItem_OnlyItsRules()
    {
        var show = Rules.Show(new Input("--jurisdiction", "US"), new Input("--date", "2024-01-01"), new Input("--country", "CN"), new Input("--item", "3A090.a"));
        var allShown = Rules.Show(new Input("--jurisdiction", "US"), new Input("--date", "2024-01-01"), new Input("--country", "CN"));
        var diff = Rules.Diff(new Input("--jurisdiction", "US"), new Input("--since", "2023-11-16"), new Input("--until", "2023-11-17"), new Input("--item", "3A090"));
        var allDiff = Rules.Diff(new Input("--jurisdiction", "US"), new Input("--since", "2023-11-16"), new Input("--until", "2023-11-17"));
        var itemRules = Timeline("US", "3A090.a").Rules.Select(r => r.Id).ToHashSet();

        Assert.Equal("US:3A090.a", show.Item!.Classification);
        Assert.NotEmpty(show.Rules);
        Assert.All(show.Rules, r => Assert.Contains(r.Id, itemRules));
        Assert.Equal(allShown.Rules.Where(r => itemRules.Contains(r.Id)).Select(r => r.Id), show.Rules.Select(r => r.Id));
        Assert.NotEmpty(diff.Changes);
        Assert.All(diff.Changes, c => Assert.True(c.Kind is "rule-start" or "rule-end", c.Kind));
        Assert.True(diff.Changes.Count < allDiff.Changes.Count);
        Assert.Null(allDiff.Item);
    }

    [Theory]
    [InlineData("3A090.e", "--item: '3A090.e' is not an item of US's control list (did you mean 'US:3A090.a'?)")]
    [InlineData("US:9Z999", "--item: 'US:9Z999' is not an item of US's control list (expected US:<code>, e.g. ")]
    [InlineData("JP:3(1)", "--item: 'JP:3(1)' is not an item of US: its prefix names another regime (give US:<code>, or the regime with --jurisdiction)")]
    public void ItemTimeline_UnknownItem_ErrorNamingIt(string item, string message)
    {
        var error = Assert.Throws<RulesQueryException>(() => Timeline("US", item));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoSubject_NamesBothInputs()
    {
        Assert.Equal("give item (an item of the control list, e.g. 3A090 or \"JP:3(1)\"), country (a destination, e.g. KR) or both",
            RulesQueries.NoSubject("item", "country").Message);
    }
}
