using Clearance.Model;
using NodaTime;
using NodaTime.Text;

namespace Clearance.Application.Tests;

/// <summary>
/// <c>rules timeline --since/--until</c> as the use case answers it: a window [since, until) on the changes' dates, the
/// rules and groups in force on a day of it; the days are read from the content, not written here.
/// </summary>
public sealed class DateWindowTests
{
    private static readonly ContentSet Content = ContentSetup.Evaluator().Content;
    private static readonly RulesQueries Rules = new(Content);

    private static Input? Given(string name, string? value) => value is null ? null : new Input(name, value);

    private static DateWindow Window(string? since, string? until) => DateWindow.Parse(Given("--since", since), Given("--until", until));

    private static ItemTimeline Item(string item, string? country, string? since, string? until) =>
        Rules.ItemTimeline(new Input("--jurisdiction", "US"), new Input("--item", item), Given("--country", country), Window(since, until));

    private static string Iso(LocalDate date) => LocalDatePattern.Iso.Format(date);

    private static LocalDate Day(string iso) => LocalDatePattern.Iso.Parse(iso).Value;

    [Theory]
    [InlineData("2020-01-01", "2020-02-01", "2020-01-01", true)]
    [InlineData("2020-01-01", "2020-02-01", "2020-01-31", true)]
    [InlineData("2020-01-01", "2020-02-01", "2020-02-01", false)]
    [InlineData("2020-01-01", "2020-02-01", "2019-12-31", false)]
    [InlineData(null, "2020-02-01", "1900-01-01", true)]
    [InlineData("2020-01-01", null, "2999-12-31", true)]
    public void Contains_HalfOpen_SinceInUntilOut(string? since, string? until, string date, bool expected)
    {
        Assert.Equal(expected, Window(since, until).Contains(Day(date)));
    }

    [Theory]
    [InlineData("2019-07-04", "2023-03-23", true)] // the whole period
    [InlineData("2023-03-22", "2023-03-23", true)] // its last day
    [InlineData("2023-03-23", "2024-01-01", false)] // from its end, the first day it is no longer in force
    [InlineData("2019-01-01", "2019-07-04", false)] // up to its first day, not included
    [InlineData("2019-01-01", "2019-07-05", true)] // up to the day after its first
    public void Overlaps_APeriodsDays_OnlyWhenADayIsInBoth(string since, string until, bool expected)
    {
        var period = new Period(Day("2019-07-04"), Day("2023-03-23"));

        Assert.Equal(expected, Window(since, until).Overlaps(period));
        Assert.True(Window(since, null).Overlaps(Period.Always));
    }

    [Theory]
    [InlineData("2025-13-01", null, "--since: '2025-13-01' is not a date")]
    [InlineData(null, "yesterday", "--until: 'yesterday' is not a date")]
    [InlineData("2025-01-13", "2025-01-13", "--until: 2025-01-13 is not after --since 2025-01-13")]
    [InlineData("2025-01-14", "2025-01-13", "--until: 2025-01-13 is not after --since 2025-01-14")]
    public void Parse_BadDateOrEmptyWindow_ErrorNamingTheInput(string? since, string? until, string message)
    {
        Assert.StartsWith(message, Assert.Throws<RulesQueryException>(() => Window(since, until)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseDays_FirstAndLastDayIncluded_TheSameWindowAsTheDayAfter()
    {
        Assert.Equal(Window("2019-07-04", "2023-07-22"), DateWindow.ParseDays(new Input("from", "2019-07-04"), new Input("to", "2023-07-21")));
        Assert.Equal(Window("2019-07-04", "2019-07-05"), DateWindow.ParseDays(new Input("from", "2019-07-04"), new Input("to", "2019-07-04")));
        Assert.StartsWith("to: 2019-07-03 is before from 2019-07-04",
            Assert.Throws<RulesQueryException>(() => DateWindow.ParseDays(new Input("from", "2019-07-04"), new Input("to", "2019-07-03"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ItemTimeline_WindowFromOneChangeDayToAnother_TheFirstDaysChangesInTheLastDaysOut()
    {
        var whole = Item("3A090", null, null, null);
        var days = whole.Changes.Select(c => c.Date).Distinct().Order().ToList();
        Assert.True(days.Count >= 4, $"{days.Count} change days");
        var (since, until) = (days[^3], days[^1]);

        var window = Item("3A090", null, Iso(since), Iso(until));

        Assert.Equal(whole.Changes.Where(c => c.Date >= since && c.Date < until).ToList(), window.Changes);
        Assert.Contains(window.Changes, c => c.Date == since);
        Assert.DoesNotContain(window.Changes, c => c.Date == until);
        Assert.Equal(new DateWindow(since, until), window.Window);
        // The rules in force on a day of it or changed in it (one ending on since), each with all its periods; a rule
        // that ended before it is not shown.
        var changed = window.Changes.Select(c => c.Subject).ToHashSet();
        Assert.Equal(whole.Rules.Where(r => changed.Contains(r.Id) || r.Periods.Any(p => p.From < until && (p.To is not { } to || to > since))).Select(r => r.Id),
            window.Rules.Select(r => r.Id));
        Assert.Contains(whole.Rules, r => r.Periods.All(p => p.To is { } to && to <= since));
        Assert.Equal(whole.Item, window.Item);
    }

    [Fact]
    public void ItemTimeline_WindowToAChangeDay_ItsChangesOutAndInTheNextWindow()
    {
        var whole = Item("3A090.a", "CN", null, null);
        var day = whole.Changes.Select(c => c.Date).Distinct().Order().Skip(1).First();

        var before = Item("3A090.a", "CN", null, Iso(day));
        var after = Item("3A090.a", "CN", Iso(day), null);

        Assert.DoesNotContain(before.Changes, c => c.Date == day);
        Assert.Contains(after.Changes, c => c.Date == day);
        Assert.Equal(whole.Changes, before.Changes.Concat(after.Changes).ToList());
        Assert.All(after.Groups, g => Assert.True(g.Period.To is not { } to || to > day));
        Assert.All(before.Groups, g => Assert.True(g.Period.From < day));
        // A rule whose end is on the window's first day is listed with the window that shows its end.
        Assert.All(after.Changes, c => Assert.Contains(after.Rules, r => r.Id == c.Subject));
    }

    [Fact]
    public void Timeline_CountryWindow_ChangesOnSinceInOnUntilOutGroupsOfTheWindow()
    {
        var whole = Rules.Timeline(new Input("--jurisdiction", "JP"), new Input("--country", "KR"));
        // From the first change day to the day KR's last group span starts (a membership change: Group A again in 2023).
        var since = whole.Changes.Min(c => c.Date);
        var until = whole.Groups[^1].Period.From;
        Assert.True(since < until);

        var window = Rules.Timeline(new Input("--jurisdiction", "JP"), new Input("--country", "KR"), Window(Iso(since), Iso(until)));

        Assert.Equal(whole.Changes.Where(c => c.Date >= since && c.Date < until).ToList(), window.Changes);
        Assert.Contains(window.Changes, c => c.Date == since);
        Assert.DoesNotContain(window.Changes, c => c.Date == until);
        Assert.Contains(whole.Changes, c => c.Date == until);
        Assert.Equal(whole.Groups.Where(g => g.Period.From < until && (g.Period.To is not { } to || to > since)).Select(g => g.Period), window.Groups.Select(g => g.Period));
        Assert.DoesNotContain(whole.Groups[^1].Period, window.Groups.Select(g => g.Period));
    }
}
