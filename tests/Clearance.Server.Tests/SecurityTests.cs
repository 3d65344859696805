using System.Net;
using System.Text;
using System.Text.Json;

namespace Clearance.Server.Tests;

/// <summary>Keys, roles and abuse: each refusal a clean ProblemDetails, nothing written, the server still serving.</summary>
public sealed class SecurityTests
{
    private const string Line = """{"id":"o-1","date":"2019-07-04","from":"JP","to":"KR","item":"JP:3(1)","end_use":"civil"}""";

    public static TheoryData<string> Providers => TestDatabase.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Check_MissingInvalidRevokedKey_401(string provider)
    {
        await using var host = await ServerHost.StartAsync(provider, s => s with { KeyCacheDuration = TimeSpan.Zero });
        var missing = await ServerHost.ProblemAsync(await host.Anonymous.PostAsync("/api/v1/check", ServerHost.Json(Line)), 401);
        var invalid = await ServerHost.ProblemAsync(await host.WithKey(host.KeyOf["operator"] + "x").PostAsync("/api/v1/check", ServerHost.Json(Line)), 401);
        var unknownId = await ServerHost.ProblemAsync(await host.WithKey("clr_0000000000000000_abc").PostAsync("/api/v1/check", ServerHost.Json(Line)), 401);
        var basic = new HttpClient { BaseAddress = host.Anonymous.BaseAddress };
        basic.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", "dXNlcjpwYXNz");
        var wrongScheme = await ServerHost.ProblemAsync(await basic.PostAsync("/api/v1/check", ServerHost.Json(Line)), 401);
        host.Keys.Revoke("operator-key", "test");
        var revoked = await ServerHost.ProblemAsync(await host.As("operator").PostAsync("/api/v1/check", ServerHost.Json(Line)), 401);

        Assert.Contains("Authorization: Bearer KEY", missing.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.All([invalid, unknownId, revoked], p => Assert.Contains("not valid", p.GetProperty("detail").GetString(), StringComparison.Ordinal));
        Assert.Contains("Bearer", wrongScheme.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("viewer", "POST", "/api/v1/check", "operator")]
    [InlineData("operator", "POST", "/api/v1/shipments/x/release", "officer")]
    [InlineData("operator", "POST", "/api/v1/licenses", "officer")]
    [InlineData("officer", "POST", "/api/v1/lists/meti-eul/import?format=meti-eul", "admin")]
    [InlineData("officer", "GET", "/api/v1/keys", "admin")]
    public async Task Endpoint_RoleBelowItsOwn_403NamingBothRoles(string role, string method, string path, string needed)
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "GET" ? null : ServerHost.Json("{}") };
        var problem = await ServerHost.ProblemAsync(await host.As(role).SendAsync(request), 403);

        Assert.Contains($"has the role {role}; this needs the role {needed}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_AdminCreatesAndRevokes_TheNewKeyWorksThenStops()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var created = await host.As("admin").PostAsync("/api/v1/keys", ServerHost.Json("""{"name":"erp-1","role":"operator"}"""));
        var key = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        var before = await host.WithKey(key.GetProperty("key").GetString()!).PostAsync("/api/v1/check", ServerHost.Json(Line));
        var revoked = await host.As("admin").DeleteAsync("/api/v1/keys/erp-1");
        var after = await host.WithKey(key.GetProperty("key").GetString()!).PostAsync("/api/v1/check", ServerHost.Json(Line));
        var listed = await host.As("admin").GetStringAsync("/api/v1/keys");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(("erp-1", "operator"), (key.GetProperty("name").GetString(), key.GetProperty("role").GetString()));
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal("""{"name":"erp-1","revoked":true}""", await revoked.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.DoesNotContain(key.GetProperty("key").GetString()!, listed, StringComparison.Ordinal);
        Assert.Contains("\"actor\":\"admin-key\",\"action\":\"key.revoke\"", await host.As("viewer").GetStringAsync("/api/v1/audit"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OversizedBody_413NothingWrittenAndTheServerKeepsServing()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite, s => s with { MaxBodyBytes = 4096, MaxBatchBytes = 64 * 1024 });
        var big = "{\"reason\":\"" + new string('x', 8000) + "\"}";
        var declared = await ServerHost.ProblemAsync(await host.As("officer").PostAsync("/api/v1/licenses/L/revoke", ServerHost.Json(big)), 413);
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Repeat(WorkflowEndpointTests.Licence, 400)) + "]")));
        chunked.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/licenses") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        var streamed = await ServerHost.ProblemAsync(await host.As("officer").SendAsync(request), 413);

        Assert.Equal("body-too-large", declared.GetProperty("code").GetString());
        Assert.Equal("body-too-large", streamed.GetProperty("code").GetString());
        Assert.Equal("[]", await host.As("viewer").GetStringAsync("/api/v1/licenses"));
        Assert.Equal(HttpStatusCode.OK, (await host.As("operator").PostAsync("/api/v1/check", ServerHost.Json(Line))).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task SqlInjectionText_StoredVerbatimAndHarmless(string provider)
    {
        await using var host = await ServerHost.StartAsync(provider);
        const string Hostile = "x'); DROP TABLE licenses; --\" OR 1=1 /*";
        var licence = WorkflowEndpointTests.Licence
            .Replace("\"METI-2019-0001\"", JsonSerializer.Serialize(Hostile), StringComparison.Ordinal)
            .Replace("\"Example Chemical Co.\"", JsonSerializer.Serialize(Hostile), StringComparison.Ordinal);
        var shipment = WorkflowEndpointTests.Resist("SO-1/1", "2019-07-10", 200)
            .Replace("\"SO-1/1\"", JsonSerializer.Serialize(Hostile), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await host.As("officer").PostAsync("/api/v1/licenses", ServerHost.Json(licence))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.As("operator").PostAsync("/api/v1/shipments", ServerHost.Json(shipment))).StatusCode);
        var path = Uri.EscapeDataString(Hostile);
        var released = await host.As("officer").PostAsync($"/api/v1/shipments/{path}/release", ServerHost.Json(JsonSerializer.Serialize(new { reason = Hostile })));

        var licenceBack = JsonDocument.Parse(await host.As("viewer").GetStringAsync($"/api/v1/licenses/{path}")).RootElement;
        var shipmentBack = JsonDocument.Parse(await released.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(Hostile, licenceBack.GetProperty("number").GetString());
        Assert.Equal(Hostile, licenceBack.GetProperty("holder").GetString());
        Assert.Equal(Hostile, shipmentBack.GetProperty("id").GetString());
        Assert.Equal(Hostile, shipmentBack.GetProperty("history")[1].GetProperty("reason").GetString());
        Assert.StartsWith("{\"intact\":true,", await (await host.As("viewer").PostAsync("/api/v1/audit/verify", null)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RateLimit_PastThePermitsPerKey_429WithRetryAfterOtherKeysServed()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite, s => s with { PermitsPerSecond = 3 });
        var client = host.As("viewer");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
            statuses.Add((await client.GetAsync("/api/v1/licenses")).StatusCode);
        var refused = await client.GetAsync("/api/v1/licenses");
        var other = await host.As("officer").GetAsync("/api/v1/licenses");

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        if (refused.StatusCode == HttpStatusCode.TooManyRequests)
        {
            Assert.Equal("1", refused.Headers.RetryAfter?.ToString());
            Assert.Equal("rate-limited", (await ServerHost.ProblemAsync(refused, 429)).GetProperty("code").GetString());
        }

        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task Responses_CarryTheSecurityHeaders()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var api = await host.As("viewer").GetAsync("/api/v1/licenses");
        var problem = await host.Anonymous.GetAsync("/api/v1/licenses");

        foreach (var response in new[] { api, problem })
        {
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
            Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        }

        Assert.False(api.Headers.Contains("Server"));
    }
}

/// <summary>A client that sends its body a byte every second.</summary>
public sealed class SlowClientTests
{
    [Fact]
    public async Task SlowBody_CutOffAndTheServerKeepsServing()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var started = DateTime.UtcNow;
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/check") { Content = new TrickleContent(TimeSpan.FromSeconds(1), 60) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Content.Headers.ContentLength = 60;
        HttpStatusCode? status = null;
        try
        {
            status = (await host.As("operator").SendAsync(request)).StatusCode;
        }
        catch (HttpRequestException)
        {
            // The connection was closed under the client: also a refusal.
        }

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30), $"the slow client held the request for {DateTime.UtcNow - started}");
        Assert.NotEqual(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.OK, (await host.Anonymous.GetAsync("/health/live")).StatusCode);
    }

    private sealed class TrickleContent(TimeSpan pause, int bytes) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            for (var i = 0; i < bytes; i++)
            {
                await stream.WriteAsync(" "u8.ToArray());
                await stream.FlushAsync();
                await Task.Delay(pause);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = bytes;
            return true;
        }
    }
}
