using System.Text.Json;
using Clearance.Application;
using NodaTime;

namespace Clearance.Cli.Tests.Rules;

/// <summary><c>rules show|timeline|diff</c> and <c>content validate</c> as a user calls them: names, values, formats, errors.</summary>
public sealed class RulesCommandTests
{
    private static (int ExitCode, string Stdout, string Stderr) Clearance(params string[] args) => CommandLineTests.Clearance(args);

    [Fact]
    public void Show_DateCountryByNameJurisdictionLowerCase_SameAsCodes()
    {
        var byName = Clearance("rules", "show", "-j", "jp", "--date", "2019-09-01", "--country", "South Korea", "-o", "json");
        var byCode = Clearance("rules", "show", "--jurisdiction", "JP", "--as-of", "2019-09-01", "--country", "kr", "--output", "json");

        Assert.Equal(0, byName.ExitCode);
        Assert.Equal(byCode.Stdout, byName.Stdout);
        var root = JsonDocument.Parse(byName.Stdout).RootElement;
        Assert.Equal("JP", root.GetProperty("jurisdiction").GetString());
        Assert.Equal("KR", root.GetProperty("country").GetString());
        Assert.Equal("2019-09-01", root.GetProperty("as_of").GetString());
    }

    [Fact]
    public void Show_Json_OneCompactLineWithRawHangul()
    {
        var (code, stdout, _) = Clearance("rules", "show", "-j", "KR", "--date", "2019-09-20", "-o", "json");

        Assert.Equal(0, code);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains("가의2", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", lines[0], StringComparison.Ordinal);
        var groups = JsonDocument.Parse(lines[0]).RootElement.GetProperty("groups");
        Assert.Equal(["JP"], groups.GetProperty("Ga-2 (가의2)").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public void Show_Json_PeriodsGiveTheirLastDay()
    {
        var (_, stdout, _) = Clearance("rules", "show", "-j", "JP", "--date", "2019-09-01", "-c", "KR", "-o", "json");

        var rule = JsonDocument.Parse(stdout).RootElement.GetProperty("rules").EnumerateArray()
            .Single(r => r.GetProperty("id").GetString() == "jp.kr-2019-07.general-bulk-withdrawn");
        var period = Assert.Single(rule.GetProperty("periods").EnumerateArray());
        Assert.Equal(("2019-07-04", "2023-03-23", "2023-03-22"),
            (period.GetProperty("from").GetString(), period.GetProperty("to").GetString(), period.GetProperty("last_day").GetString()));
    }

    [Fact]
    public void Diff_SinceUntil_EveryChangeAfterSinceUpToAndIncludingUntil()
    {
        var (code, stdout, _) = Clearance("rules", "diff", "-j", "JP", "--since", "2019-07-03", "--until", "2019-07-04", "-o", "json");
        var (_, after, _) = Clearance("rules", "diff", "-j", "JP", "--since", "2019-07-04", "--until", "2019-08-01", "-o", "json");
        var (oldCode, oldNames, _) = Clearance("rules", "diff", "-j", "JP", "--from", "2019-07-03", "--to", "2019-07-04", "-o", "json");

        Assert.Equal(0, code);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(("2019-07-03", "2019-07-04"), (root.GetProperty("since").GetString(), root.GetProperty("until").GetString()));
        Assert.Contains(root.GetProperty("changes").EnumerateArray(), c => c.GetProperty("effective").GetString() == "2019-07-04");
        Assert.DoesNotContain(JsonDocument.Parse(after).RootElement.GetProperty("changes").EnumerateArray(), c => c.GetProperty("effective").GetString() == "2019-07-04");
        Assert.Equal((0, stdout), (oldCode, oldNames));
    }

    [Fact]
    public void Diff_Csv_HeaderAndOneRowPerChange()
    {
        var (code, stdout, _) = Clearance("rules", "diff", "-j", "JP", "--since", "2019-07-01", "--until", "2019-09-01", "-o", "csv");
        var (_, json, _) = Clearance("rules", "diff", "-j", "JP", "--since", "2019-07-01", "--until", "2019-09-01", "-o", "json");

        Assert.Equal(0, code);
        Assert.StartsWith("jurisdiction,effective,kind,subject,description,citation,known,known_citation\n", stdout, StringComparison.Ordinal);
        Assert.Contains("\nJP,2019-08-28,group-change,KR,", stdout, StringComparison.Ordinal);
        var changes = JsonDocument.Parse(json).RootElement.GetProperty("changes").GetArrayLength();
        Assert.Equal(changes, stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.StartsWith("JP,", StringComparison.Ordinal)));
    }

    [Fact]
    public void Show_NoDate_Today()
    {
        var (code, stdout, _) = Clearance("rules", "show", "-j", "JP", "-o", "json");

        Assert.Equal(0, code);
        var today = NodaTime.Text.LocalDatePattern.Iso.Format(LocalDate.FromDateTime(DateTime.Now));
        Assert.Equal(today, JsonDocument.Parse(stdout).RootElement.GetProperty("as_of").GetString());
    }

    [Fact]
    public void Show_Csv_PeriodsAsFirstAndLastDay()
    {
        var (code, stdout, _) = Clearance("rules", "show", "-j", "JP", "--date", "2019-09-01", "-c", "Korea, Republic of", "-o", "csv");

        Assert.Equal(0, code);
        Assert.StartsWith("jurisdiction,as_of,country,rule,category,description,in_force,citation,unconfirmed\n", stdout, StringComparison.Ordinal);
        Assert.Contains("\nJP,2019-09-01,KR,jp.list-control,requirement,", stdout, StringComparison.Ordinal);
        Assert.Contains(",2019-07-04/2023-03-22,", stdout, StringComparison.Ordinal);
        Assert.Contains(",../..,", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("error: --jurisdiction: no content for 'XX'; available: JP, KR, US", "rules", "show", "-j", "XX", "--date", "2019-01-01")]
    [InlineData("error: --date: '2019-02-30' is not a date; give YYYY-MM-DD, e.g. 2019-09-01", "rules", "show", "-j", "JP", "--date", "2019-02-30")]
    [InlineData("error: --as-of: '1.9.2019' is not a date; give YYYY-MM-DD, e.g. 2019-09-01", "rules", "show", "-j", "JP", "--as-of", "1.9.2019")]
    [InlineData("error: --country: 'Koria' is not a country; give an ISO 3166-1 alpha-2 code (KR) or an English name (South Korea)", "rules", "timeline", "-j", "JP", "--country", "Koria")]
    [InlineData("error: --until 2019-01-01 is before --since 2019-09-01: the range is every change after --since, up to and including --until", "rules", "diff", "-j", "JP", "--since", "2019-09-01", "--until", "2019-01-01")]
    [InlineData("error: --until is required (YYYY-MM-DD)", "rules", "diff", "-j", "JP", "--since", "2019-09-01")]
    [InlineData("error: --output: 'xml' is not one of table, json, csv", "rules", "diff", "-j", "JP", "--since", "2019-09-01", "--until", "2019-09-02", "-o", "xml")]
    [InlineData("error: DIR: directory 'no-such-dir' not found", "content", "validate", "no-such-dir")]
    public void BadValue_OneLineNamingItExit1(string expected, params string[] args)
    {
        var (code, stdout, stderr) = Clearance(args);

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Equal(expected, stderr.TrimEnd('\n'));
    }

    [Fact]
    public void ContentValidate_AFile_SaysToGiveTheDirectory()
    {
        var file = Path.Combine(AppContext.BaseDirectory, "clearance.dll");

        var (code, _, stderr) = Clearance("content", "validate", file);

        Assert.Equal(1, code);
        Assert.Equal($"error: DIR: '{file}' is a file; give the directory that holds the *.yaml files", stderr.TrimEnd('\n'));
    }

    [Theory]
    [InlineData("rules", "show", "-j", "JP", "--date", "2019-09-01")]
    [InlineData("rules", "show", "-j", "KR", "--date", "2019-09-20", "--country", "JP")]
    [InlineData("rules", "timeline", "-j", "JP", "--country", "KR")]
    [InlineData("rules", "diff", "-j", "JP", "--since", "2019-07-01", "--until", "2023-12-31")]
    [InlineData("content", "validate")]
    public void Table_Redirected_FitsEightyColumns(params string[] args)
    {
        var (code, stdout, stderr) = Clearance([.. args, "--output", "table"]);

        Assert.Equal((0, ""), (code, stderr));
        var lines = stdout.Split('\n');
        Assert.True(lines.Length > 3, stdout);
        Assert.All(lines, line => Assert.True(ReadmeCommandTests.Columns(line) <= 80, $"{ReadmeCommandTests.Columns(line)} columns: {line}"));
    }

    [Fact]
    public void Timeline_Table_PeriodsSayTheirLastDay()
    {
        var (_, stdout, _) = Clearance("rules", "timeline", "-j", "JP", "-c", "KR", "-o", "table");

        Assert.Contains("28 Aug 2019 – 20 Jul 2023", stdout, StringComparison.Ordinal);
        Assert.Contains("(last day)", stdout, StringComparison.Ordinal);
        Assert.Contains("from 21 Jul 2023", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void ContentValidate_Json_OneRecordPerJurisdiction()
    {
        var (code, stdout, _) = Clearance("content", "validate");

        Assert.Equal(0, code);
        var records = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["JP", "KR", "US"], records.Select(r => r.GetProperty("jurisdiction").GetString()));
        Assert.All(records, r => Assert.StartsWith("sha256:", r.GetProperty("content_version").GetString(), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("2019-07-04", "2023-03-23", "4 Jul 2019 – 22 Mar 2023 (last day)")]
    [InlineData("2019-07-04", null, "from 4 Jul 2019")]
    [InlineData(null, "2019-08-28", "until 27 Aug 2019 (last day)")]
    [InlineData(null, null, "throughout")]
    [InlineData("2019-12-20", "2019-12-21", "20 Dec 2019 only")]
    public void DateText_Period_SaysHowItEnds(string? from, string? to, string expected)
    {
        static LocalDate Parse(string s) => NodaTime.Text.LocalDatePattern.Iso.Parse(s).Value;
        var period = new Period(from is null ? LocalDate.MinIsoValue : Parse(from), to is null ? null : Parse(to));

        Assert.Equal(expected, DateText.Period(period));
    }
}
