using System.Text.Json;

namespace Clearance.Cli.Tests.Rules;

/// <summary>
/// Issue 9, "done when": <c>rules timeline</c> for Japan and Côte d'Ivoire, Japan and Russia, Korea and Russia tells
/// the story of the corrected and new measures, each on its date, as a user reads it.
/// </summary>
public sealed class TimelineStoryTests
{
    private static JsonElement Timeline(string jurisdiction, string country)
    {
        var (code, stdout, stderr) = CommandLineTests.Clearance("rules", "timeline", "-j", jurisdiction, "-c", country, "-o", "json");
        Assert.True(code == 0, stderr);
        return JsonDocument.Parse(stdout).RootElement;
    }

    private static List<string> Changes(JsonElement timeline, Func<string, bool> subject) =>
        timeline.GetProperty("changes").EnumerateArray()
            .Where(c => subject(c.GetProperty("subject").GetString()!))
            .Select(c => $"{c.GetProperty("effective").GetString()} {c.GetProperty("kind").GetString()} {c.GetProperty("subject").GetString()}")
            .ToList();

    [Fact]
    public void Timeline_JapanCoteDIvoire_LeavesTableThreeTwoOn20160729()
    {
        var timeline = Timeline("JP", "CI");

        var periods = timeline.GetProperty("groups").EnumerateArray()
            .Select(p => (LastDay: p.GetProperty("last_day").GetString(), InTableThreeTwo: p.GetProperty("sets").EnumerateArray().Any(s => s.GetString()!.StartsWith("Appended Table 3-2", StringComparison.Ordinal))))
            .ToList();
        Assert.Equal([("2016-07-28", true), ("2019-08-01", false), (null, false)], periods);
        Assert.Contains("2016-07-29 rule-end jp.catch-all.conventional.end-use", Changes(timeline, _ => true));
    }

    [Fact]
    public void Timeline_JapanCoteDIvoireTable_NamesTheLastDayInTheTable()
    {
        var (_, stdout, _) = CommandLineTests.Clearance("rules", "timeline", "-j", "JP", "-c", "CI", "-o", "table");

        Assert.Contains("until 28 Jul 2016", stdout, StringComparison.Ordinal);
        Assert.Contains("29 Jul 2016 – 1 Aug 2019", stdout, StringComparison.Ordinal);
        Assert.Contains("Appended Table 3-2 (UN", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Timeline_JapanRussia_BulkWithdrawnThenTheBans()
    {
        var changes = Changes(Timeline("JP", "RU"), s => s.Contains("russia", StringComparison.Ordinal));

        Assert.Equal(
            [
                "2022-03-05 rule-start jp.russia-2022-03.special-general-bulk-withdrawn",
                "2022-03-05 rule-start jp.russia-2022-03.specific-bulk-withdrawn",
                "2022-03-18 rule-start jp.embargo.russia-belarus.regime-items",
                "2022-03-18 rule-start jp.embargo.russia-belarus.listed-goods",
                "2022-03-18 rule-start jp.embargo.russia-belarus.specified-entities",
            ],
            changes);
    }

    [Fact]
    public void Timeline_KoreaRussia_StrategicBanThenTheGrowingLists()
    {
        var timeline = Timeline("KR", "RU");

        Assert.Equal(
            [
                "2022-02-28 rule-start kr.embargo.russia.strategic",
                "2022-03-07 rule-start kr.russia-belarus.entities-of-concern",
                "2022-03-26 rule-start kr.russia-belarus.situational-list",
                "2023-04-28 rule-start kr.russia-belarus.situational-list-ban",
                "2023-04-28 rule-end kr.russia-belarus.situational-list",
                "2024-02-24 rule-start kr.russia-belarus.situational-list-ban-2024",
                "2024-02-24 rule-end kr.russia-belarus.situational-list-ban",
            ],
            Changes(timeline, s => s.Contains("russia", StringComparison.Ordinal)));
        Assert.Contains("2020-06-19 rule-start kr.catch-all.conventional", Changes(timeline, _ => true));
        var descriptions = timeline.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("description").GetString()).ToList();
        Assert.Contains(descriptions, d => d!.Contains("57 items", StringComparison.Ordinal));
        Assert.Contains(descriptions, d => d!.Contains("798 items", StringComparison.Ordinal));
        Assert.Contains(descriptions, d => d!.Contains("1,159 items", StringComparison.Ordinal) && d.Contains("1,402", StringComparison.Ordinal));
    }
}
