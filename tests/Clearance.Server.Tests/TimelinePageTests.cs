using System.Net;

namespace Clearance.Server.Tests;

/// <summary>The regulatory timeline page over HTTP: the chart's bars and change marks, the table of citations, errors.</summary>
public sealed class TimelinePageTests
{
    private static async Task<string> PageAsync(ServerHost host, string query) =>
        WebUtility.HtmlDecode(await (await PageSession.SignedInAsync(host, "viewer")).GetStringAsync("/timeline?" + query));

    [Fact]
    public async Task TimelinePage_JapanToKorea2018To2024_TheDisputeMarkedOnTheChartWithItsCitations()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);

        var page = await PageAsync(host, "jurisdiction=JP&country=KR&from=2018-01-01&to=2024-12-31");

        Assert.Contains("<svg id=\"timeline\" data-testid=\"timeline\"", page, StringComparison.Ordinal);
        foreach (var day in new[] { "2019-07-04", "2019-08-28", "2019-12-20", "2023-03-23", "2023-07-21" })
        {
            Assert.Contains($"<a href=\"#change-{day}\" class=\"marker\" data-date=\"{day}\">", page, StringComparison.Ordinal);
            Assert.Contains($"<tr id=\"change-{day}\"", page, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("change-2025-10-09", page, StringComparison.Ordinal);
        Assert.Contains("<title>Group B: 28 Aug 2019 – 20 Jul 2023 (last day)", page, StringComparison.Ordinal);
        Assert.Contains("<g class=\"row license-deny\" data-row=\"jp.kr-2019-07.general-bulk-withdrawn\">", page, StringComparison.Ordinal);
        Assert.Contains(": 4 Jul 2019 – 22 Mar 2023 (last day) — METI circular of July 2019", page, StringComparison.Ordinal);
        Assert.Contains("<cite>METI circular amendment of 20 Dec 2019", page, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://www.meti.go.jp/english/press/2023/0316_001.html\" rel=\"noreferrer\">source</a>", page, StringComparison.Ordinal);
        Assert.Contains("<text x=\"4\" y=\"11\">Group B</text>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TimelinePage_KoreaToJapan_TheGa2PeriodAsABar()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);

        var page = await PageAsync(host, "jurisdiction=KR&country=Japan&from=2018-01-01&to=2024-12-31");

        Assert.Contains("<title>Ga-2 (가의2): 18 Sep 2019 – 23 Apr 2023 (last day)", page, StringComparison.Ordinal);
        Assert.Contains("<tr id=\"change-2019-09-18\"", page, StringComparison.Ordinal);
        Assert.Contains("<tr id=\"change-2023-04-24\"", page, StringComparison.Ordinal);
        Assert.Contains("data-row=\"kr.individual.review.ga-2\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TimelinePage_NoQueryBadCountryOrAnonymous_AskedErrorOrSignIn()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);

        var empty = await PageAsync(host, "");
        var badCountry = await PageAsync(host, "jurisdiction=JP&country=Atlantis");
        var backwards = await PageAsync(host, "jurisdiction=JP&country=KR&from=2020-01-01&to=2019-12-31");
        var anonymous = await PageSession.Browser(host).Client.GetAsync("/timeline?jurisdiction=JP&country=KR");

        Assert.Contains("href=\"/timeline?jurisdiction=JP&country=KR&from=2018-01-01&to=2024-12-31\"", empty, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"timeline\"", empty, StringComparison.Ordinal);
        Assert.Contains("country: 'Atlantis' is not a country", badCountry, StringComparison.Ordinal);
        Assert.Contains("to: 2019-12-31 is before from 2020-01-01", backwards, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
    }
}
