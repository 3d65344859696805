using System.Net;
using Clearance.Store;
using Dapper;

namespace Clearance.Server.Tests;

/// <summary>The audit page over HTTP: newest first, filtered and paged, each record's hash, and Verify as audit verify says it.</summary>
public sealed class AuditPageTests
{
    public static TheoryData<string> Providers => TestDatabase.Providers;

    /// <summary>Submits <paramref name="count"/> held lines (SO-1/1, SO-2/1, ...) through the API with the operator's key.</summary>
    private static async Task SubmitAsync(ServerHost host, int count) =>
        Assert.True((await host.As("operator").PostAsync("/api/v1/shipments", ServerHost.Json(
            "[" + string.Join(",", Enumerable.Range(1, count).Select(i => WorkflowEndpointTests.Resist($"SO-{i}/1", "2019-07-10", 10))) + "]"))).IsSuccessStatusCode);

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AuditPage_NewestFirstFilteredByKindActorAndDayAndPaged(string provider)
    {
        await using var host = await ServerHost.StartAsync(provider);
        await SubmitAsync(host, 60);
        Assert.True((await host.As("officer").PostAsync("/api/v1/shipments/SO-7%2F1/release", ServerHost.Json("""{"reason":"file 7"}"""))).IsSuccessStatusCode);
        var viewer = await PageSession.SignedInAsync(host, "viewer");
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var tomorrow = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var total = (await host.As("viewer").GetStringAsync("/api/v1/audit")).Split("\"sequence\":").Length - 1;

        var first = PageSession.Compact(await viewer.GetStringAsync("/audit"));
        var second = PageSession.Compact(await viewer.GetStringAsync("/audit?page=2"));
        var releases = PageSession.Compact(await viewer.GetStringAsync("/audit?action=shipment.release"));
        var byOfficer = PageSession.Compact(await viewer.GetStringAsync("/audit?actor=officer-key&from=" + today + "&to=" + today));
        var fromTomorrow = PageSession.Compact(await viewer.GetStringAsync("/audit?from=" + tomorrow));
        var badDay = PageSession.Compact(await viewer.GetStringAsync("/audit?to=yesterday"));

        Assert.True(total > 60, $"{total} records");
        Assert.Contains($"{total} record(s); page 1 of {(total + 49) / 50}, newest first", first, StringComparison.Ordinal);
        Assert.Contains($"<tr id=\"record-{total}\"><td>{total}</td>", first, StringComparison.Ordinal);
        Assert.True(first.IndexOf($"id=\"record-{total}\"", StringComparison.Ordinal) < first.IndexOf($"id=\"record-{total - 1}\"", StringComparison.Ordinal));
        Assert.Contains("<td>shipment.release</td><td><a href=\"/shipment?id=SO-7%2F1\">SO-7/1</a></td>", first, StringComparison.Ordinal);
        Assert.Contains("<option value=\"key.create\">key.create</option>", first, StringComparison.Ordinal);
        Assert.Contains("href=\"/audit?page=2\" rel=\"next\"", first, StringComparison.Ordinal);
        Assert.Contains($"id=\"record-{total - 50}\"", second, StringComparison.Ordinal);
        Assert.DoesNotContain($"id=\"record-{total - 49}\"", second, StringComparison.Ordinal);
        Assert.Contains("href=\"/audit?page=1\" rel=\"prev\"", second, StringComparison.Ordinal);
        Assert.Contains("1 record(s) match", releases, StringComparison.Ordinal);
        Assert.Contains("1 record(s) match", byOfficer, StringComparison.Ordinal);
        Assert.Contains("<option value=\"officer-key\" selected>", byOfficer, StringComparison.Ordinal);
        Assert.Contains("0 record(s) match", fromTomorrow, StringComparison.Ordinal);
        Assert.Contains("to: 'yesterday' is not a date", badDay, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AuditPage_Verify_IntactAsAuditVerifySaysThenTheFirstAlteredRecord(string provider)
    {
        await using var host = await ServerHost.StartAsync(provider);
        await SubmitAsync(host, 3);
        var viewer = await PageSession.SignedInAsync(host, "viewer");

        var intact = PageSession.Compact(await viewer.GetStringAsync("/audit?verify=true"));
        var cliIntact = host.Cli(null, "audit", "verify");
        using (var connection = DatabaseLocation.Provider(host.Database).Open())
            Assert.Equal(1, connection.Execute("UPDATE audit SET subject = 'SO-9/1' WHERE sequence = 6"));
        var broken = PageSession.Compact(await viewer.GetStringAsync("/audit?verify=true&action=shipment.submit"));
        var cliBroken = host.Cli(null, "audit", "verify");

        Assert.Equal(0, cliIntact.Exit);
        Assert.Contains($"<p id=\"verify-result\" class=\"done\" role=\"status\">{cliIntact.Stdout.TrimEnd('\n')}</p>", intact, StringComparison.Ordinal);
        Assert.StartsWith("audit trail intact: 7 record(s), head ", cliIntact.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, cliBroken.Exit);
        Assert.StartsWith("error: audit trail broken at record 6: ", cliBroken.Stderr, StringComparison.Ordinal);
        Assert.Contains($"<p id=\"verify-result\" class=\"error\" role=\"alert\">{cliBroken.Stderr.TrimEnd('\n')["error: ".Length..]}</p>", broken, StringComparison.Ordinal);
        Assert.Contains("3 record(s) match", broken, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditPage_Anonymous_SignInFirst()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);

        var anonymous = await PageSession.Browser(host).Client.GetAsync("/audit?verify=true");

        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.True(PageSession.IsSignIn(anonymous.Headers.Location!.OriginalString));
    }
}
