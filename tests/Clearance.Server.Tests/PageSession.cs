using System.Net;
using System.Text.RegularExpressions;

namespace Clearance.Server.Tests;

/// <summary>
/// A browser's session with the pages over HTTP, for every page test: cookies kept and redirects not followed, signed
/// in with a key through the sign-in form, and forms posted with the antiforgery token of the page they are on.
/// </summary>
internal static partial class PageSession
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex(">\\s+<")]
    private static partial Regex BetweenTags();

    /// <summary><paramref name="html"/> decoded, without the white space between tags that a page's layout puts there.</summary>
    public static string Compact(string html) => BetweenTags().Replace(WebUtility.HtmlDecode(html), "><");

    /// <summary>The antiforgery token of the first form of <paramref name="page"/>.</summary>
    public static string TokenOf(string page) => WebUtility.HtmlDecode(Token().Match(page).Groups[1].Value);

    /// <summary>A client with a cookie jar of its own that does not follow redirects.</summary>
    public static (HttpClient Client, CookieContainer Cookies) Browser(ServerHost host)
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = host.Anonymous.BaseAddress };
        return (client, cookies);
    }

    /// <summary>Posts the sign-in form with <paramref name="key"/> (and the form's token unless <paramref name="withToken"/> is false).</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string key, bool withToken = true)
    {
        var page = await client.GetStringAsync("/signin");
        var fields = new Dictionary<string, string> { ["key"] = key, ["returnUrl"] = "/check" };
        if (withToken)
            fields["__RequestVerificationToken"] = TokenOf(page);
        return await client.PostAsync("/signin", new FormUrlEncodedContent(fields));
    }

    /// <summary>A browser signed in with the key of <paramref name="role"/>.</summary>
    public static async Task<HttpClient> SignedInAsync(ServerHost host, string role)
    {
        var (client, _) = Browser(host);
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(client, host.KeyOf[role])).StatusCode);
        return client;
    }

    /// <summary>Posts a form of <paramref name="page"/> (its antiforgery token added) and answers where it went back to.</summary>
    public static async Task<string> PostFormAsync(HttpClient client, string page, string action, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = TokenOf(page);
        var response = await client.PostAsync(action, new FormUrlEncodedContent(fields));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response.Headers.Location!.OriginalString;
    }

    /// <summary>
    /// Posts a multipart form of <paramref name="page"/> (its antiforgery token added, unless <paramref name="withToken"/>
    /// is false) with the file <paramref name="fileName"/>, and answers the response.
    /// </summary>
    public static async Task<HttpResponseMessage> PostFileAsync(HttpClient client, string page, string action, Dictionary<string, string> fields,
        string fileField, string fileName, byte[] file, bool withToken = true)
    {
        using var form = new MultipartFormDataContent();
        if (withToken)
            form.Add(new StringContent(TokenOf(page)), "__RequestVerificationToken");
        foreach (var (name, value) in fields)
            form.Add(new StringContent(value), name);
        form.Add(new ByteArrayContent(file), fileField, fileName);
        return await client.PostAsync(action, form);
    }

    /// <summary>Whether a redirect to <paramref name="location"/> sends the browser to sign in (a role too low for a form or page).</summary>
    public static bool IsSignIn(string location) =>
        new Uri(new Uri("http://x"), location).PathAndQuery.StartsWith("/signin", StringComparison.Ordinal);
}
