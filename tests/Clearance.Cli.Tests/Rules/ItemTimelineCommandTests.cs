using System.Text.Json;

namespace Clearance.Cli.Tests.Rules;

/// <summary>
/// <c>rules timeline|show|diff --item</c> as an analyst calls them ("what happened to 3A090 since 2019?"): the item as
/// a code or a classification, the table in an 80-column terminal, JSON and CSV with the same names, the errors.
/// </summary>
public sealed class ItemTimelineCommandTests
{
    private static (int ExitCode, string Stdout, string Stderr) Clearance(params string[] args) => CommandLineTests.Clearance(args);

    private static JsonElement Json(params string[] args)
    {
        var (code, stdout, stderr) = Clearance([.. args, "-o", "json"]);
        Assert.True(code == 0, stderr);
        Assert.Single(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        return JsonDocument.Parse(stdout).RootElement;
    }

    [Fact]
    public void Timeline_ItemAsCodeOrClassification_SameAnswer()
    {
        var (_, code, _) = Clearance("rules", "timeline", "-j", "US", "--item", "3A090", "-o", "json");
        var (_, classification, _) = Clearance("rules", "timeline", "--jurisdiction", "us", "--item", "us:3A090", "--output", "json");

        Assert.Equal(code, classification);
        var root = JsonDocument.Parse(code).RootElement;
        Assert.Equal(("US", "US:3A090", JsonValueKind.Null), (root.GetProperty("jurisdiction").GetString(), root.GetProperty("item").GetString(), root.GetProperty("country").ValueKind));
    }

    [Fact]
    public void Timeline_3A090Json_TheEntryWithItsReasonsAndTheListsDateEveryRuleWithWhatItRequires()
    {
        var root = Json("rules", "timeline", "-j", "US", "--item", "3A090");

        var entry = root.GetProperty("entry");
        Assert.Equal("3A090", entry.GetProperty("code").GetString());
        Assert.Contains("AT1.since-2022-10-07", entry.GetProperty("attributes").GetProperty("columns").EnumerateArray().Select(c => c.GetString()));
        var listAsOf = entry.GetProperty("list_as_of").GetString()!;
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", listAsOf);
        Assert.Contains($"is the text of {listAsOf}, not dated back", entry.GetProperty("list_note").GetString(), StringComparison.Ordinal);
        Assert.Contains(entry.GetProperty("paragraphs").EnumerateArray(), p => p.GetProperty("code").GetString() == "3A090.a" && p.GetProperty("parent").GetString() == "3A090");
        var rules = root.GetProperty("rules").EnumerateArray().ToList();
        Assert.All(rules, r =>
        {
            Assert.Contains(r.GetProperty("selects").GetString(), new[] { "code", "attributes", "listed", "any" });
            Assert.Contains(r.GetProperty("coverage").GetString(), new[] { "whole", "part" });
            Assert.Contains(r.GetProperty("effect").GetString(), new[] { "license-required", "prohibited", "indeterminate", "allow", "deny" });
            Assert.NotEmpty(r.GetProperty("citation").GetString()!);
            Assert.All(r.GetProperty("periods").EnumerateArray(), p => Assert.True(p.TryGetProperty("known", out _) && p.TryGetProperty("end_known", out _)));
        });
        // Every rule whose change is listed is among the rules; the changes are in date order.
        var ids = rules.Select(r => r.GetProperty("id").GetString()).ToHashSet();
        var changes = root.GetProperty("changes").EnumerateArray().ToList();
        Assert.All(changes, c => Assert.Contains(c.GetProperty("subject").GetString(), ids));
        var dates = changes.Select(c => c.GetProperty("effective").GetString()!).ToList();
        Assert.Equal(dates.Order(StringComparer.Ordinal), dates);
        // The October 2022 rules: a licence from their first day, by code; the end-use rules with the review policy the
        // content gives.
        var october = rules.Where(r => r.GetProperty("effect").GetString() == "license-required" && r.GetProperty("selects").GetString() == "code"
            && r.GetProperty("periods").EnumerateArray().Any(p => p.GetProperty("from").GetString() == "2022-10-07")).ToList();
        Assert.NotEmpty(october);
        Assert.Contains(rules, r => r.GetProperty("review_policy").GetString() is { } policy && policy.StartsWith("presumption of denial", StringComparison.Ordinal));
        Assert.Contains(changes, c => c.GetProperty("effective").GetString() == "2022-10-07" && c.GetProperty("kind").GetString() == "rule-start");
    }

    [Fact]
    public void Timeline_Csv_OneRowPerEntryParagraphRulePeriodAndChange()
    {
        var (code, csv, _) = Clearance("rules", "timeline", "-j", "US", "--item", "3A090", "--country", "CN", "-o", "csv");
        var json = Json("rules", "timeline", "-j", "US", "--item", "3A090", "--country", "CN");

        Assert.Equal(0, code);
        Assert.StartsWith("jurisdiction,item,country,row,subject,kind,effective,last_day,description,attributes,effect,license,condition,when,review_policy,citation,known,known_citation,list_as_of\n", csv, StringComparison.Ordinal);
        var rows = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Where(l => l.StartsWith("US,US:3A090,CN,", StringComparison.Ordinal)).ToList();
        int Count(string row) => rows.Count(r => r.StartsWith($"US,US:3A090,CN,{row},", StringComparison.Ordinal));
        Assert.Equal(1, Count("entry"));
        Assert.Equal(json.GetProperty("entry").GetProperty("paragraphs").GetArrayLength(), Count("paragraph"));
        Assert.Equal(json.GetProperty("groups").GetArrayLength(), Count("groups"));
        Assert.Equal(json.GetProperty("rules").EnumerateArray().Sum(r => r.GetProperty("periods").GetArrayLength()), Count("rule"));
        Assert.Equal(json.GetProperty("changes").GetArrayLength(), Count("change"));
        Assert.Contains(",entry,3A090,entry,,,", csv, StringComparison.Ordinal);
        Assert.EndsWith(json.GetProperty("entry").GetProperty("list_as_of").GetString()!, rows.Single(r => r.Contains(",entry,", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public void Timeline_ItemAndCountryTerminal80Columns_FitsAndTellsTheStory()
    {
        var (code, _, text) = CliRunner.Terminal(Path.Combine(Path.GetTempPath(), $"clearance-cli-test-{Guid.NewGuid():N}.db"), 80,
            "rules", "timeline", "-j", "US", "--item", "US:3A090.a", "--country", "China");

        Assert.Equal(0, code);
        Assert.Contains("US:3A090.a under United States (EAR), to CN", text, StringComparison.Ordinal);
        Assert.Contains("under 3A090", text, StringComparison.Ordinal);
        Assert.Contains("RS-WW from 15 May 2025", text, StringComparison.Ordinal);
        Assert.Contains("not dated back", text, StringComparison.Ordinal);
        Assert.Contains("CN in United States (EAR)'s country groups:", text, StringComparison.Ordinal);
        Assert.Contains("7 Oct 2022", text, StringComparison.Ordinal);
        Assert.Contains("17 Nov 2023", text, StringComparison.Ordinal);
        Assert.Contains("15 May 2025", text, StringComparison.Ordinal);
        Assert.Contains("licence required", text, StringComparison.Ordinal);
        Assert.Matches(@"\d+ change\(s\) on \d+ day\(s\)", text);
    }

    [Fact]
    public void Timeline_JapaneseItemToKoreaTerminal80Columns_TheWithdrawalWithItsKnownDay()
    {
        var (code, _, text) = CliRunner.Terminal(Path.Combine(Path.GetTempPath(), $"clearance-cli-test-{Guid.NewGuid():N}.db"), 80,
            "rules", "timeline", "-j", "JP", "--item", "JP:3(1)", "--country", "KR");
        var json = Json("rules", "timeline", "-j", "JP", "--item", "3(1)", "-c", "KR");

        Assert.Equal(0, code);
        Assert.Contains("JP:3(1) under Japan", text, StringComparison.Ordinal);
        Assert.Contains("4 Jul 2019", text, StringComparison.Ordinal);
        Assert.Contains("(known 1 Jul 2019)", text, StringComparison.Ordinal);
        Assert.Contains("withdraws general-bulk", text, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("entry").GetProperty("list_as_of").ValueKind);
        Assert.Contains(json.GetProperty("changes").EnumerateArray(), c => c.GetProperty("effective").GetString() == "2019-07-04" && c.GetProperty("known").GetString() == "2019-07-01");
    }

    [Theory]
    [InlineData("--item", "3A090")]
    [InlineData("--item", "3A090.a", "--country", "CN")]
    [InlineData("--country", "CN")]
    public void Timeline_SinceUntilOnChangeDays_TheChangeOnSinceInTheOneOnUntilOut(params string[] subject)
    {
        string[] timeline = ["rules", "timeline", "-j", "US", .. subject];
        var whole = Json(timeline);
        var days = whole.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("effective").GetString()!).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.True(days.Count >= 3, $"{days.Count} change days");
        var (since, until) = (days[^3], days[^1]);

        var window = Json([.. timeline, "--since", since, "--until", until]);
        var (code, csv, _) = Clearance([.. timeline, "--since", since, "--until", until, "-o", "csv"]);

        var shown = window.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("effective").GetString()!).ToList();
        Assert.Equal((since, until), (window.GetProperty("since").GetString(), window.GetProperty("until").GetString()));
        Assert.Equal(whole.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("effective").GetString()!)
            .Where(d => string.CompareOrdinal(d, since) >= 0 && string.CompareOrdinal(d, until) < 0), shown);
        Assert.Contains(since, shown);
        Assert.DoesNotContain(until, shown);
        Assert.False(whole.TryGetProperty("since", out _));
        Assert.Equal(0, code);
        Assert.Equal(shown.Count, csv.Split('\n').Count(l => l.Contains(",rule-start,", StringComparison.Ordinal) || l.Contains(",rule-end,", StringComparison.Ordinal)
            || l.Contains(",membership-", StringComparison.Ordinal) || l.Contains(",group-change,", StringComparison.Ordinal)));
    }

    [Fact]
    public void Timeline_SinceUntilTerminal80Columns_TheWindowSaidAndOnlyItsDays()
    {
        var (code, _, text) = CliRunner.Terminal(Path.Combine(Path.GetTempPath(), $"clearance-cli-test-{Guid.NewGuid():N}.db"), 80,
            "rules", "timeline", "-j", "US", "--item", "3A090", "--since", "2024-12-02", "--until", "2025-01-13");

        Assert.Equal(0, code);
        Assert.Contains("Only 2 Dec 2024 – 12 Jan 2025 (last day) (--since, --until)", System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " "), StringComparison.Ordinal);
        Assert.Contains("│ 2 Dec 2024  │", text, StringComparison.Ordinal);
        Assert.DoesNotContain("│ 13 Jan 2025 │", text, StringComparison.Ordinal);
        Assert.DoesNotContain("│ 17 Nov 2023 │", text, StringComparison.Ordinal);
        Assert.Matches(@"\d+ change\(s\) on 1 day\(s\)", text);
    }

    [Theory]
    [InlineData("US:3A090.a", "rules", "show", "-j", "US", "--date", "2024-01-01", "--item", "3A090.a", "-c", "CN")]
    [InlineData("US:3A090", "rules", "diff", "-j", "US", "--since", "2022-10-01", "--until", "2025-01-31", "--item", "3A090")]
    public void ShowAndDiff_Item_NamedInJsonAndTableFitsEightyColumns(string item, params string[] args)
    {
        var json = Json(args);
        var (code, table, stderr) = Clearance([.. args, "-o", "table"]);

        Assert.Equal(item, json.GetProperty("item").GetString());
        Assert.NotEqual(0, json.GetProperty(args[1] == "show" ? "rules" : "changes").GetArrayLength());
        Assert.Equal((0, ""), (code, stderr));
        Assert.Contains("take US:3A090", System.Text.RegularExpressions.Regex.Replace(table, @"\s+", " "), StringComparison.Ordinal);
        Assert.All(table.Split('\n'), line => Assert.True(ReadmeCommandTests.Columns(line) <= 80, line));
    }

    [Theory]
    [InlineData("error: give --item (an item of the control list, e.g. 3A090 or \"JP:3(1)\"), --country (a destination, e.g. KR) or both", "rules", "timeline", "-j", "US")]
    [InlineData("error: --item: '3A090.e' is not an item of US's control list (did you mean 'US:3A090.a'?)", "rules", "timeline", "-j", "US", "--item", "3A090.e")]
    [InlineData("error: --item: 'KR:3C002' is not an item of US: its prefix names another regime (give US:<code>, or the regime with --jurisdiction)", "rules", "show", "-j", "US", "--item", "KR:3C002")]
    [InlineData("error: --country: 'Atlantis' is not a country; give an ISO 3166-1 alpha-2 code (KR) or an English name (South Korea)", "rules", "timeline", "-j", "US", "--item", "3A090", "-c", "Atlantis")]
    [InlineData("error: --since: '2024-02-30' is not a date; give YYYY-MM-DD, e.g. 2019-09-01", "rules", "timeline", "-j", "US", "--item", "3A090", "--since", "2024-02-30")]
    [InlineData("error: --until: 2024-01-01 is not after --since 2024-01-01: the window is the days from --since up to but not including --until", "rules", "timeline", "-j", "JP", "-c", "KR", "--since", "2024-01-01", "--until", "2024-01-01")]
    [InlineData("error: --until: 2023-12-31 is not after --since 2024-01-01: the window is the days from --since up to but not including --until", "rules", "timeline", "-j", "US", "--item", "3A090", "--since", "2024-01-01", "--until", "2023-12-31")]
    public void BadItem_OneLineNamingItExit1(string expected, params string[] args)
    {
        var (code, stdout, stderr) = Clearance(args);

        Assert.Equal((1, ""), (code, stdout));
        Assert.Equal(expected, stderr.TrimEnd('\n'));
    }
}
