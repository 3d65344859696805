using System.Net;
using System.Text.RegularExpressions;

namespace Clearance.Server.Tests;

/// <summary>The first web page: sign in with a key (antiforgery, a session cookie), the check form rendered on the server.</summary>
public sealed partial class CheckPageTests
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    internal static partial Regex Token();

    internal static (HttpClient Client, CookieContainer Cookies) Browser(ServerHost host)
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = host.Anonymous.BaseAddress };
        return (client, cookies);
    }

    internal static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string key, bool withToken = true)
    {
        var page = await client.GetStringAsync("/signin");
        var fields = new Dictionary<string, string> { ["key"] = key, ["returnUrl"] = "/check" };
        if (withToken)
            fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(Token().Match(page).Groups[1].Value);
        return await client.PostAsync("/signin", new FormUrlEncodedContent(fields));
    }

    private static async Task<HttpClient> SignedInAsync(ServerHost host, string role)
    {
        var (client, _) = Browser(host);
        await SignInAsync(client, host.KeyOf[role]);
        return client;
    }

    [Fact]
    public async Task CheckPage_SignedInWithAnOperatorKey_ShowsVerdictGroundsAndCitation()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var (client, _) = Browser(host);
        var anonymous = await client.GetAsync("/check");
        var signedIn = await SignInAsync(client, host.KeyOf["operator"]);
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
        var (client, cookies) = Browser(host);
        var forged = await SignInAsync(client, host.KeyOf["operator"], withToken: false);
        var wrong = await SignInAsync(client, "clr_0000000000000000_nothing");

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
