using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

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

        Assert.Contains("href=\"/timeline?jurisdiction=JP&country=KR&since=2018-01-01&until=2025-01-01\"", empty, StringComparison.Ordinal);
        Assert.Contains("href=\"/timeline?jurisdiction=US&item=3A090&since=2022-01-01\"", empty, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"timeline\"", empty, StringComparison.Ordinal);
        Assert.Contains("country: 'Atlantis' is not a country", badCountry, StringComparison.Ordinal);
        Assert.Contains("to: 2019-12-31 is before from 2020-01-01", backwards, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
    }

    [Theory]
    [InlineData("since=2019-07-04&until=2023-07-21", true, false)]
    [InlineData("from=2019-07-04&to=2023-07-21", true, true)]
    [InlineData("since=2019-07-05&until=2023-07-22", false, true)]
    public async Task TimelinePage_CountryWindow_SinceInUntilOutAsTheCommandTheFormerFromToBothIn(string window, bool first, bool last)
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);

        var page = await PageAsync(host, "jurisdiction=JP&country=KR&" + window);

        Assert.Contains("<svg id=\"timeline\"", page, StringComparison.Ordinal);
        Assert.Equal(first, page.Contains("<tr id=\"change-2019-07-04\"", StringComparison.Ordinal));
        Assert.Equal(last, page.Contains("<tr id=\"change-2023-07-21\"", StringComparison.Ordinal));
        Assert.Contains("<tr id=\"change-2019-12-20\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TimelinePage_Item3A090_WhatTheJsonEndpointAnswersEntryReasonsListDateRulesAndDatedChanges()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var json = JsonDocument.Parse(await host.As("viewer").GetStringAsync("/api/v1/rules/US/timeline?item=3A090")).RootElement;

        var page = await PageAsync(host, "jurisdiction=US&item=3A090");

        Assert.Contains("<section class=\"item-timeline wide\" data-testid=\"item-timeline\">", page, StringComparison.Ordinal);
        Assert.Contains("<h2>US:3A090 under United States (EAR)</h2>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"timeline\"", page, StringComparison.Ordinal);
        var entry = json.GetProperty("entry");
        Assert.Contains($"<dd>{entry.GetProperty("title").GetString()}</dd>", page, StringComparison.Ordinal);
        Assert.Contains("<dd data-testid=\"attributes\">columns: AT1 from 7 Oct 2022; product_group: A</dd>", page, StringComparison.Ordinal);
        Assert.Contains($"<time datetime=\"{entry.GetProperty("list_as_of").GetString()}\" data-testid=\"list-as-of\">", page, StringComparison.Ordinal);
        Assert.Contains(entry.GetProperty("list_note").GetString()!, page, StringComparison.Ordinal);
        Assert.All(entry.GetProperty("paragraphs").EnumerateArray(), p => Assert.Contains($"<td>{p.GetProperty("code").GetString()}</td>", page, StringComparison.Ordinal));
        // Every rule of the JSON with its citation, every change day as a row: the same use case, nothing left out.
        foreach (var rule in json.GetProperty("rules").EnumerateArray())
        {
            Assert.Contains($"<tr data-rule=\"{rule.GetProperty("id").GetString()}\">", page, StringComparison.Ordinal);
            Assert.Contains($"<cite>{rule.GetProperty("citation").GetString()}</cite>", page, StringComparison.Ordinal);
        }

        var days = json.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("effective").GetString()!).Distinct().ToList();
        Assert.All(days, day => Assert.Contains($"<tr id=\"change-{day}\"", page, StringComparison.Ordinal));
        Assert.Contains($"{json.GetProperty("changes").GetArrayLength()} change(s) on {days.Count} day(s)", page, StringComparison.Ordinal);
        Assert.Contains("licence required; review: presumption of denial", page, StringComparison.Ordinal);
        Assert.Contains("(unconfirmed: ", page, StringComparison.Ordinal);
        foreach (var known in json.GetProperty("rules").EnumerateArray().SelectMany(r => r.GetProperty("periods").EnumerateArray())
            .Select(p => p.GetProperty("known")).Where(k => k.ValueKind == JsonValueKind.String))
        {
            var day = NodaTime.Text.LocalDatePattern.Iso.Parse(known.GetString()!).Value;
            Assert.Contains("announced " + Clearance.Application.DateText.Date(day), page, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TimelinePage_ItemCountryAndWindow_NarrowedToBothTheChangeOnSinceInOnUntilOut()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        const string query = "item=3A090.a&country=CN&since=2023-11-17&until=2025-01-13";
        var json = JsonDocument.Parse(await host.As("viewer").GetStringAsync("/api/v1/rules/US/timeline?" + query)).RootElement;

        var page = await PageAsync(host, "jurisdiction=US&" + query);

        Assert.Contains("<h2>US:3A090.a under United States (EAR), to CN</h2>", page, StringComparison.Ordinal);
        Assert.Contains("<strong>17 Nov 2023 – 12 Jan 2025 (last day)</strong> only", page, StringComparison.Ordinal);
        Assert.Contains("<h3>CN in United States (EAR)'s country groups</h3>", page, StringComparison.Ordinal);
        Assert.Contains("<tr id=\"change-2023-11-17\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("change-2025-01-13", page, StringComparison.Ordinal);
        Assert.DoesNotContain("change-2022-10-07", page, StringComparison.Ordinal);
        Assert.Equal(json.GetProperty("rules").GetArrayLength(), Regex.Count(page, "<tr data-rule=\""));
        Assert.Contains("name=\"since\" value=\"2023-11-17\"", page, StringComparison.Ordinal);
        Assert.Contains("name=\"until\" value=\"2025-01-13\"", page, StringComparison.Ordinal);
        Assert.Contains("name=\"item\" value=\"3A090.a\"", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("jurisdiction=US&item=3A090.e", "item: '3A090.e' is not an item of US's control list (did you mean 'US:3A090.a'?)")]
    [InlineData("jurisdiction=US&item=3A090&since=2024-02-30", "since: '2024-02-30' is not a date")]
    [InlineData("jurisdiction=US&item=3A090&since=2025-01-13&until=2025-01-13", "until: 2025-01-13 is not after since 2025-01-13")]
    [InlineData("jurisdiction=US&item=KR:3C002&country=CN", "item: 'KR:3C002' is not an item of US: its prefix names another regime")]
    public async Task TimelinePage_BadItemOrWindow_TheErrorNamingItAsAnAlert(string query, string message)
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);

        var page = await PageAsync(host, query);

        Assert.Contains("<p class=\"error\" role=\"alert\">" + message, page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"item-timeline\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TimelinePage_MarkupInTheItem_EscapedInTheErrorAndTheForm()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var client = await PageSession.SignedInAsync(host, "viewer");

        var response = await client.GetAsync("/timeline?jurisdiction=US&item=" + Uri.EscapeDataString("<script>alert(1)</script>\"x"));
        var raw = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("<script>alert(1)", raw, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", raw, StringComparison.Ordinal);
        Assert.Contains("is not an item of US", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"<script>", raw, StringComparison.Ordinal);
    }
}
