using System.Net;

namespace Clearance.Server.Tests;

/// <summary>The first web page: sign in with a key (antiforgery, a session cookie), the check form rendered on the server.</summary>
public sealed class CheckPageTests
{
    private static Task<HttpClient> SignedInAsync(ServerHost host, string role) => PageSession.SignedInAsync(host, role);

    [Fact]
    public async Task CheckPage_SignedInWithAnOperatorKey_ShowsVerdictGroundsAndCitation()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var (client, _) = PageSession.Browser(host);
        var anonymous = await client.GetAsync("/check");
        var signedIn = await PageSession.SignInAsync(client, host.KeyOf["operator"]);
        var page = await client.GetStringAsync("/check?from=JP&to=KR&item=JP%3A3(1)&date=2019-07-04&end_use=civil");
        var before = await client.GetStringAsync("/check?from=JP&to=KR&item=JP%3A3(1)&date=2019-07-03&end_use=civil");

        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/signin", anonymous.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/check", signedIn.Headers.Location!.OriginalString);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("clearance-session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(host.KeyOf["operator"], cookie, StringComparison.Ordinal);
        Assert.Contains("class=\"verdict license-required\"", page, StringComparison.Ordinal);
        Assert.Contains("<dt>Eligible licences</dt><dd>individual</dd>", page, StringComparison.Ordinal);
        Assert.Contains("<cite>FEFTA Art. 48(1)", page, StringComparison.Ordinal);
        Assert.Contains("<dd>individual, general-bulk", before, StringComparison.Ordinal);
        Assert.Contains("<tr class=\"current\"><td>4 Jul 2019</td>", page, StringComparison.Ordinal);
        Assert.Contains("<td>22 Mar 2023</td>", page, StringComparison.Ordinal);
        Assert.Contains("date=2023-07-21", page, StringComparison.Ordinal);
    }

    /// <summary>The resist row JP → KR, civil end use, on the day <paramref name="date"/>, with the slider's query when given.</summary>
    private static string ResistCheck(string date, string? slider = null) =>
        "/check?from=JP&to=KR&item=JP%3A3(1)&end_use=civil&date=" + date + (slider is null ? "" : "&as_of=" + slider + "&use=as_of");

    [Fact]
    public async Task CheckPage_AsOfSlider_MarksWhereTheAnswerChangesAndReevaluatesOnTheSlidersDay()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var client = await SignedInAsync(host, "operator");

        // Day numbers count from the slider's origin, 2015-01-01: 2019-07-03 is day 1644, 2019-07-04 day 1645.
        var page = await client.GetStringAsync(ResistCheck("2019-07-03"));
        var slidOnto = await client.GetStringAsync(ResistCheck("2019-07-03", "1645"));
        var slidBack = await client.GetStringAsync(ResistCheck("2019-07-04", "1644"));
        var checkButton = await client.GetStringAsync(ResistCheck("2019-07-03") + "&as_of=1645");
        var offTheScale = await client.GetStringAsync(ResistCheck("2019-07-03", "99999"));

        Assert.Contains("id=\"as-of-slider\"", page, StringComparison.Ordinal);
        Assert.Contains("data-origin=\"2015-01-01\"", page, StringComparison.Ordinal);
        Assert.Contains("form=\"check-form\" list=\"answer-changes\" min=\"0\"", page, StringComparison.Ordinal);
        Assert.Contains("step=\"1\" value=\"1644\"", page, StringComparison.Ordinal);
        Assert.Contains("<option value=\"1645\" label=\"4 Jul 2019\"></option>", page, StringComparison.Ordinal);
        Assert.Contains(">from 4 Jul 2019: license-required (individual)</a>", page, StringComparison.Ordinal);
        Assert.Contains("<title>from 4 Jul 2019: license-required (individual)</title>", page, StringComparison.Ordinal);
        Assert.Contains(">Jul 2019</text>", page, StringComparison.Ordinal);
        Assert.Contains("name=\"use\" value=\"as_of\" id=\"as-of-apply\"", page, StringComparison.Ordinal);
        Assert.Contains("<dd>individual, general-bulk", page, StringComparison.Ordinal);
        Assert.Contains(">2019-07-03</time>", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/timeline?jurisdiction=JP&amp;country=KR\" id=\"timeline-link\"", page, StringComparison.Ordinal);

        Assert.Contains(">2019-07-04</time>", slidOnto, StringComparison.Ordinal);
        Assert.Contains("id=\"verdict\" data-testid=\"verdict\" data-verdict=\"license-required\"", slidOnto, StringComparison.Ordinal);
        Assert.Contains("<dt>Eligible licences</dt><dd>individual</dd>", slidOnto, StringComparison.Ordinal);
        Assert.Contains("value=\"2019-07-04\"", slidOnto, StringComparison.Ordinal);
        Assert.Contains(">2019-07-03</time>", slidBack, StringComparison.Ordinal);
        Assert.Contains("<dd>individual, general-bulk", slidBack, StringComparison.Ordinal);
        Assert.Contains(">2019-07-03</time>", checkButton, StringComparison.Ordinal);
        Assert.Contains(">2019-07-03</time>", offTheScale, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SiteScript_ServedFromTheSiteAndLoadedByThePages_NoInlineScriptAllowed()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var client = await SignedInAsync(host, "operator");

        var script = await host.Anonymous.GetAsync("/site.js");
        var page = await client.GetAsync(ResistCheck("2019-07-03"));

        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Contains("getElementById('as-of-slider')", await script.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("<script src=\"/site.js\" defer></script>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckPage_BadInputAndMarkup_ErrorShownAndEverythingEncoded()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var page = await (await SignedInAsync(host, "operator")).GetStringAsync("/check?from=JP&to=KR&item=%3Cscript%3Ealert(1)%3C%2Fscript%3E&date=2019-07-04");

        Assert.DoesNotContain("<script>", page, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", page, StringComparison.Ordinal);
        Assert.Contains("class=\"error\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_WithoutAntiforgeryTokenOrWithABadKey_NoSession()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var (client, cookies) = PageSession.Browser(host);
        var forged = await PageSession.SignInAsync(client, host.KeyOf["operator"], withToken: false);
        var wrong = await PageSession.SignInAsync(client, "clr_0000000000000000_nothing");

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.StartsWith("/signin?failed=true", wrong.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.DoesNotContain(cookies.GetAllCookies(), c => c.Name == "clearance-session");
    }

    [Fact]
    public async Task Session_ViewerKeyOrRevokedKey_NoCheckPage()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite, s => s with { KeyCacheDuration = TimeSpan.Zero });
        var viewer = await SignedInAsync(host, "viewer");
        var operatorBrowser = await SignedInAsync(host, "operator");
        host.Keys.Revoke("operator-key", "test");

        Assert.Equal(HttpStatusCode.Redirect, (await viewer.GetAsync("/check")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await operatorBrowser.GetAsync("/check")).StatusCode);
    }

    [Fact]
    public async Task Api_SessionCookieAlone_NotAccepted()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var client = await SignedInAsync(host, "operator");

        await ServerHost.ProblemAsync(await client.PostAsync("/api/v1/check", ServerHost.Json("""{"id":"o-1","date":"2019-07-04","from":"JP","to":"KR","item":"JP:3(1)"}""")), 401);
    }
}
