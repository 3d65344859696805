using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Clearance.Server.Tests;

/// <summary>Two servers on one database, nothing shared in memory: licences never overdrawn, lists, keys and revocations seen by both.</summary>
public sealed class ReplicaTests
{
    public static TheoryData<string> Providers => TestDatabase.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Submit_ThroughTwoServersAtOnce_TheLicenceIsNeverOverdrawn(string provider)
    {
        await using var first = await ServerHost.StartAsync(provider);
        var second = await first.ReplicaAsync();
        await first.As("officer").PostAsync("/api/v1/licenses", ServerHost.Json(WorkflowEndpointTests.Licence)); // 500 kg

        // 40 lines of 20 kg (800 kg) on a 500 kg licence, half through each server, all at once.
        var submissions = Enumerable.Range(1, 40).Select(async i =>
        {
            var server = i % 2 == 0 ? first : second;
            var response = await server.As("operator").PostAsync("/api/v1/shipments", ServerHost.Json(WorkflowEndpointTests.Resist($"SO-{i}/1", "2019-09-02", 20)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString();
        });
        var statuses = await Task.WhenAll(submissions);
        var licence = JsonDocument.Parse(await second.As("viewer").GetStringAsync("/api/v1/licenses/METI-2019-0001")).RootElement;

        Assert.Equal(25, statuses.Count(s => s == "released"));
        Assert.Equal(15, statuses.Count(s => s == "held"));
        Assert.Equal(0m, licence.GetProperty("balance").GetProperty("quantity_remaining").GetDecimal());
        Assert.StartsWith("{\"intact\":true,", await (await first.As("viewer").PostAsync("/api/v1/audit/verify", null)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ListImportThroughOne_ScreenedByTheOtherWithinFiveSeconds(string provider)
    {
        await using var first = await ServerHost.StartAsync(provider);
        var second = await first.ReplicaAsync();
        const string Line = """{"id":"o-1","date":"2024-01-01","from":"JP","to":"CN","item":"JP:16","end_use":"civil","end_user":"Beihang University"}""";
        var before = await (await second.As("operator").PostAsync("/api/v1/check", ServerHost.Json(Line))).Content.ReadAsStringAsync();

        var content = new ByteArrayContent(await File.ReadAllBytesAsync(SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv")));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        Assert.Equal(HttpStatusCode.OK, (await first.As("admin").PostAsync("/api/v1/lists/meti-eul/import?format=meti-eul&filename=meti_eul_2025-09-29.csv", content)).StatusCode);
        var imported = DateTime.UtcNow;
        string after;
        do
        {
            await Task.Delay(200);
            after = await (await second.As("operator").PostAsync("/api/v1/check", ServerHost.Json(Line))).Content.ReadAsStringAsync();
        }
        while (after == before && DateTime.UtcNow - imported < TimeSpan.FromSeconds(10));

        Assert.Contains("\"end-user\"", after, StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - imported < TimeSpan.FromSeconds(5), $"the other server screened against the new list only after {DateTime.UtcNow - imported}");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task KeyCreatedOnOne_WorksOnBoth_RevokedOnOne_RefusedByBothWithinFiveSeconds(string provider)
    {
        await using var first = await ServerHost.StartAsync(provider);
        var second = await first.ReplicaAsync();
        var created = JsonDocument.Parse(await (await first.As("admin").PostAsync("/api/v1/keys", ServerHost.Json("""{"name":"erp","role":"viewer"}"""))).Content.ReadAsStringAsync());
        var key = created.RootElement.GetProperty("key").GetString()!;

        Assert.Equal(HttpStatusCode.OK, (await second.WithKey(key).GetAsync("/api/v1/licenses")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await first.WithKey(key).GetAsync("/api/v1/licenses")).StatusCode);
        await first.As("admin").DeleteAsync("/api/v1/keys/erp");
        var revoked = DateTime.UtcNow;
        HttpStatusCode status;
        do
        {
            await Task.Delay(200);
            status = (await second.WithKey(key).GetAsync("/api/v1/licenses")).StatusCode;
        }
        while (status == HttpStatusCode.OK && DateTime.UtcNow - revoked < TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.Unauthorized, (await first.WithKey(key).GetAsync("/api/v1/licenses")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.True(DateTime.UtcNow - revoked < TimeSpan.FromSeconds(5), $"refused by the other server only after {DateTime.UtcNow - revoked}");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task SessionSignedInOnOne_UsedOnTheOther(string provider)
    {
        await using var first = await ServerHost.StartAsync(provider);
        var second = await first.ReplicaAsync();
        var (browser, cookies) = PageSession.Browser(first);
        await PageSession.SignInAsync(browser, first.KeyOf["operator"]);
        using var other = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = second.Anonymous.BaseAddress };

        var page = await other.GetAsync("/check?from=JP&to=KR&item=JP%3A3(1)&date=2019-07-04&end_use=civil");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("class=\"verdict license-required\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
