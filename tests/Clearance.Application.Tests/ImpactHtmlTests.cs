using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Clearance.Content;
using NodaTime;
using NodaTime.Text;

namespace Clearance.Application.Tests;

/// <summary>
/// Issue 12, <c>impact --html</c>: the report of the worked example (docs/examples/2019-orders.jsonl) against the
/// JSON Lines of the same run, its two charts as inline SVG, the escaping of every text from the book, and the cap on
/// the table of changed lines.
/// </summary>
public sealed partial class ImpactHtmlTests
{
    private static readonly Model.ContentSet Content = ContentLoader.LoadBuiltIn();

    private static readonly string WorkedExample = Path.Combine(RepoRoot(), "docs", "examples", "2019-orders.jsonl");

    [GeneratedRegex("\\sid=\"([^\"]+)\"")]
    private static partial Regex Ids();

    private static LocalDate D(string text) => LocalDatePattern.Iso.Parse(text).Value;

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Clearance.slnx")))
                return dir.FullName;
        }

        throw new DirectoryNotFoundException("no Clearance.slnx above " + AppContext.BaseDirectory);
    }

    private static (string Html, ImpactSummary Summary) Report(string knownAsOf, Stream book, int tableLimit = ImpactReportData.DefaultTableLimit)
    {
        var analysis = new ImpactAnalysis(Content, D(knownAsOf), EndUserScreening.None);
        var data = new ImpactReportData(tableLimit);
        var summary = data.Analyse(analysis, JsonLinesInput.Read(book));
        using var html = new StringWriter(CultureInfo.InvariantCulture);
        ImpactHtml.Write(html, analysis, summary, data);
        return (html.ToString(), summary);
    }

    /// <summary>The changed lines of the same book by the JSON Lines path (ImpactBatch), which does not go through the report.</summary>
    private static List<JsonElement> JsonRecords(string knownAsOf)
    {
        using var output = new MemoryStream();
        using (var book = File.OpenRead(WorkedExample))
        {
            ImpactBatch.Run(new ImpactAnalysis(Content, D(knownAsOf), EndUserScreening.None), JsonLinesInput.Read(book), output);
        }

        return [.. Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement).Where(r => r.TryGetProperty("at_risk", out _))];
    }

    private static MemoryStream Book(params string[] lines) => new(Encoding.UTF8.GetBytes(string.Join("\n", lines)));

    [Fact]
    public void Write_WorkedExampleKnown1July_HeadlineNumbersAsTheJsonLines()
    {
        var records = JsonRecords("2019-07-01");
        using var book = File.OpenRead(WorkedExample);
        var (html, _) = Report("2019-07-01", book);

        var atRisk = records.Where(r => r.GetProperty("at_risk").GetBoolean()).ToList();
        var value = atRisk.Sum(r => r.GetProperty("value").GetProperty("amount").GetDecimal());
        Assert.NotEmpty(atRisk);
        Assert.Contains($"<strong>{File.ReadLines(WorkedExample).Count()}</strong>order lines read", html, StringComparison.Ordinal);
        Assert.Contains($"<strong>{records.Count}</strong>lines whose answer changes", html, StringComparison.Ordinal);
        Assert.Contains($"<strong>{atRisk.Count}</strong>ship dates at risk", html, StringComparison.Ordinal);
        Assert.Contains($"<strong>{value.ToString("#,0", CultureInfo.InvariantCulture)} JPY</strong>value at risk", html, StringComparison.Ordinal);
        Assert.Contains("<strong>jp.kr-2019-07.general-bulk-withdrawn</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<td>1 Jul 2019<br /><cite><a href=\"https://", html, StringComparison.Ordinal);
        Assert.All(records, r => Assert.Equal("KR", r.GetProperty("to").GetString()));
        Assert.Equal(records.Count, Regex.Count(html, "<tr class=\"(at-risk|in-time)\">"));
        Assert.Equal(atRisk.Count, Regex.Count(html, "<tr class=\"at-risk\">"));
    }

    [Fact]
    public void Write_WorkedExampleKnown1July_BothChartsInlineSvgWithTheirOwnIds()
    {
        using var book = File.OpenRead(WorkedExample);
        var (html, _) = Report("2019-07-01", book);

        Assert.Equal(2, Regex.Count(html, "<svg "));
        Assert.DoesNotContain("<?xml", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<link", html, StringComparison.Ordinal);
        var charts = html.Split("<svg ")[1..].Select(s => s[..s.IndexOf("</svg>", StringComparison.Ordinal)]).ToList();
        Assert.Contains("jp.kr-2019-07.general-bulk-withdrawn", charts[0], StringComparison.Ordinal);
        Assert.Contains("value at risk, cumulative (million JPY)", charts[0], StringComparison.Ordinal);
        Assert.Contains("end of the 90-day standard review", charts[1], StringComparison.Ordinal);
        Assert.Matches(@">\s*\d{1,2} [A-Z][a-z]{2} 2019 \(\d+\)\s*<", charts[1]);
        var ids = Ids().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(ids);
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Write_KnownBeforeAnyAnnouncement_NoChartAndSaysSo()
    {
        using var book = File.OpenRead(WorkedExample);
        var (html, summary) = Report("2019-06-30", book);

        Assert.Equal(0, summary.Total.Changed);
        Assert.DoesNotContain("<svg", html, StringComparison.Ordinal);
        Assert.Contains("No change known on 30 Jun 2019 and not yet in force changes a line of this book.", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_MarkupInTheBook_EveryTextEscaped()
    {
        using var book = Book(
            """{"id":"<b>x</b>","order":"O\"1'&","customer":"<script>alert(1)</script>","date":"2019-07-10","from":"JP","to":"KR","item":"JP:7(19)","value":{"amount":100,"currency":"JPY"}}""");
        var (html, summary) = Report("2019-07-01", book);

        Assert.Equal(1, summary.Total.AtRisk);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>x</b>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("<td>&lt;b&gt;x&lt;/b&gt;</td><td>O&quot;1&#39;&amp;</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_TableLimitBelowTheChangedLines_ListsTheFirstAndCountsTheRest()
    {
        using var book = File.OpenRead(WorkedExample);
        var (html, summary) = Report("2019-07-01", book, tableLimit: 2);

        Assert.True(summary.Total.Changed > 2);
        Assert.Equal(2, Regex.Count(html, "<tr class=\"(at-risk|in-time)\">"));
        Assert.Contains($"The first 2 of {summary.Total.Changed} changed lines", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2019-09-28", "at-risk")]
    [InlineData("2019-09-29", "in-time")]
    public void Write_ShipDateAgainstTheEndOfTheReview_RowHighlightedOnlyBefore(string date, string row)
    {
        using var book = Book($$$"""{"id":"a","customer":"Samsung Electronics","date":"{{{date}}}","from":"JP","to":"KR","item":"JP:7(19)","value":{"amount":100,"currency":"JPY"}}""");
        var (html, _) = Report("2019-07-01", book);

        Assert.Contains($"<tr class=\"{row}\"><td>a</td>", html, StringComparison.Ordinal);
    }
}
