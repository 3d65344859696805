using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace Clearance.Server.Tests;

/// <summary>Rules queries as the CLI answers them; health, the OpenAPI document, and the real <c>clearance serve</c> process.</summary>
public sealed class RulesAndOperationsTests
{
    [Theory]
    [InlineData("/api/v1/rules/JP?as_of=2019-08-28&country=KR", "rules", "show", "-j", "JP", "--date", "2019-08-28", "--country", "KR")]
    [InlineData("/api/v1/rules/jp/timeline?country=South%20Korea", "rules", "timeline", "-j", "jp", "--country", "South Korea")]
    [InlineData("/api/v1/rules/KR/diff?since=2019-01-01&until=2019-12-31", "rules", "diff", "-j", "KR", "--since", "2019-01-01", "--until", "2019-12-31")]
    [InlineData("/api/v1/rules/US/timeline?item=3A090", "rules", "timeline", "-j", "US", "--item", "3A090")]
    [InlineData("/api/v1/rules/us/timeline?item=US%3A3A090.a&country=China", "rules", "timeline", "-j", "us", "--item", "US:3A090.a", "--country", "China")]
    [InlineData("/api/v1/rules/JP/timeline?item=JP%3A3(1)&country=KR", "rules", "timeline", "-j", "JP", "--item", "JP:3(1)", "--country", "KR")]
    [InlineData("/api/v1/rules/US?as_of=2024-01-01&country=CN&item=3A090.a", "rules", "show", "-j", "US", "--date", "2024-01-01", "--country", "CN", "--item", "3A090.a")]
    [InlineData("/api/v1/rules/US/diff?since=2022-10-01&until=2025-01-31&item=3A090", "rules", "diff", "-j", "US", "--since", "2022-10-01", "--until", "2025-01-31", "--item", "3A090")]
    [InlineData("/api/v1/rules/US/timeline?item=3A090&since=2023-11-17&until=2025-01-13", "rules", "timeline", "-j", "US", "--item", "3A090", "--since", "2023-11-17", "--until", "2025-01-13")]
    [InlineData("/api/v1/rules/JP/timeline?country=KR&since=2019-07-04&until=2023-07-21", "rules", "timeline", "-j", "JP", "--country", "KR", "--since", "2019-07-04", "--until", "2023-07-21")]
    [InlineData("/api/v1/rules/US/timeline?item=3A090.a&country=CN&until=2023-11-17", "rules", "timeline", "-j", "US", "--item", "3A090.a", "--country", "CN", "--until", "2023-11-17")]
    public async Task Rules_SameJsonAsCli(string path, params string[] cli)
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var body = await host.As("viewer").GetStringAsync(path);

        Assert.Equal(host.Cli(null, [.. cli, "--output", "json"]).Stdout.TrimEnd('\n'), body);
    }

    [Theory]
    [InlineData("/api/v1/rules/XX", "jurisdiction: no content for 'XX'")]
    [InlineData("/api/v1/rules/JP?as_of=2019-02-30", "as_of: '2019-02-30' is not a date")]
    [InlineData("/api/v1/rules/JP/timeline?country=Atlantis", "country: 'Atlantis' is not a country")]
    [InlineData("/api/v1/rules/JP/diff?since=2020-01-01&until=2019-01-01", "until 2019-01-01 is before since 2020-01-01")]
    [InlineData("/api/v1/rules/JP/diff?since=2020-01-01", "until: give a date")]
    [InlineData("/api/v1/rules/US/timeline", "give item (an item of the control list, e.g. 3A090 or \"JP:3(1)\"), country (a destination, e.g. KR) or both")]
    [InlineData("/api/v1/rules/US/timeline?item=3A090.e&country=CN", "item: '3A090.e' is not an item of US's control list (did you mean 'US:3A090.a'?)")]
    [InlineData("/api/v1/rules/US/diff?since=2022-10-01&until=2025-01-31&item=JP%3A3(1)", "item: 'JP:3(1)' is not an item of US: its prefix names another regime")]
    [InlineData("/api/v1/rules/US/timeline?item=3A090&since=2024-02-30", "since: '2024-02-30' is not a date")]
    [InlineData("/api/v1/rules/JP/timeline?country=KR&since=2024-01-01&until=2024-01-01", "until: 2024-01-01 is not after since 2024-01-01")]
    [InlineData("/api/v1/rules/US/timeline?item=3A090.e&since=2024-01-01", "item: '3A090.e' is not an item of US's control list")]
    public async Task Rules_BadParameter_400NamingIt(string path, string message)
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var problem = await ServerHost.ProblemAsync(await host.As("viewer").GetAsync(path), 400);

        Assert.Contains(message, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rules_NoAsOf_TodayInUtc()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var before = NodaTime.Text.LocalDatePattern.Iso.Format(NodaTime.SystemClock.Instance.GetCurrentInstant().InUtc().Date);
        var body = JsonDocument.Parse(await host.As("viewer").GetStringAsync("/api/v1/rules/JP?country=KR")).RootElement;
        var after = NodaTime.Text.LocalDatePattern.Iso.Format(NodaTime.SystemClock.Instance.GetCurrentInstant().InUtc().Date);

        Assert.Contains(body.GetProperty("as_of").GetString(), new[] { before, after });
        Assert.NotEmpty(body.GetProperty("rules").EnumerateArray());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Health_LiveAndReady_WithoutAKey(string provider)
    {
        await using var host = await ServerHost.StartAsync(provider);
        var live = await host.Anonymous.GetStringAsync("/health/live");
        var ready = JsonDocument.Parse(await host.Anonymous.GetStringAsync("/health/ready")).RootElement;

        Assert.Equal("""{"status":"live"}""", live);
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        Assert.StartsWith("sha256:", ready.GetProperty("content_version").GetString(), StringComparison.Ordinal);
        Assert.Equal(["JP", "KR", "US"], ready.GetProperty("jurisdictions").EnumerateArray().Select(j => j.GetString()));
        Assert.False(ready.GetProperty("screening").GetBoolean());
    }

    public static TheoryData<string> Providers => TestDatabase.Providers;

    [Fact]
    public async Task OpenApi_DescribesEveryFeatureAndTheReferencePageIsServed()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var document = JsonDocument.Parse(await host.Anonymous.GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        var page = await host.Anonymous.GetAsync("/scalar/v1");

        foreach (var path in new[] { "/api/v1/check", "/api/v1/screen", "/api/v1/rules/{jurisdiction}/timeline", "/api/v1/lists/{list}/import", "/api/v1/licenses/{number}/grant", "/api/v1/shipments/{id}/release", "/api/v1/audit/verify", "/api/v1/keys", "/health/ready" })
            Assert.Contains(path, paths);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task NoSuchRouteOrMethod_ProblemDetails()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        await ServerHost.ProblemAsync(await host.As("viewer").GetAsync("/api/v1/nothing"), 404);
        await ServerHost.ProblemAsync(await host.As("viewer").DeleteAsync("/api/v1/check"), 405);
        await ServerHost.ProblemAsync(await host.As("operator").PostAsync("/api/v1/check", new StringContent("a=b", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded")), 415);
    }

    [Fact]
    public async Task ServeProcess_OnAFreePort_AnswersHealthAndChecksWithAKeyFromTheCli()
    {
        using var directory = new TempDirectory();
        var db = Path.Combine(directory.FullName, "clearance.db");
        var created = CliRunner.Run(db, null, "keys", "create", "--name", "erp", "--role", "operator", "--output", "json");
        var key = JsonDocument.Parse(created.Stdout).RootElement.GetProperty("key").GetString()!;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "clearance.dll"), "serve", "--urls", "http://127.0.0.1:0", "--db", db })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        try
        {
            string? line;
            while ((line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60))) is not null && !line.StartsWith("listening on ", StringComparison.Ordinal))
            {
            }

            Assert.NotNull(line);
            using var client = new HttpClient { BaseAddress = new Uri(line["listening on ".Length..].Split(' ')[0]) };
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
            var live = await client.GetStringAsync("/health/live");
            var check = await client.PostAsync("/api/v1/check", ServerHost.Json("""{"id":"o-1","date":"2019-07-04","from":"JP","to":"KR","item":"JP:3(1)","end_use":"civil"}"""));

            Assert.Equal(0, created.Exit);
            Assert.Equal("""{"status":"live"}""", live);
            Assert.Equal(HttpStatusCode.OK, check.StatusCode);
            Assert.Contains("\"verdict\":\"license-required\"", await check.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
    }
}
