using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Clearance.Server.Tests;

/// <summary>Screening decisions, the recheck and the reports over HTTP: the CLI's JSON for the same records, the key's name as actor.</summary>
public sealed class DecisionsAndReportsEndpointTests
{
    public static TheoryData<string> Providers => TestDatabase.Providers;

    /// <summary>
    /// A list "own" naming the consignee of <see cref="WorkflowEndpointTests.Resist"/>, and one line of it submitted: held
    /// (a licence is needed, and the consignee matches the list); the alert's entity as "LIST:ENTRY_ID".
    /// </summary>
    internal static async Task<string> HeldOnAnAlertAsync(ServerHost host)
    {
        var csv = new ByteArrayContent(Encoding.UTF8.GetBytes("id,name,countries\n1,Korea Semi Co.,KR\n2,Beta Metals,IR\n"));
        csv.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        var imported = await host.As("admin").PostAsync("/api/v1/lists/own/import?format=csv&filename=own_2019-01-01.csv", csv);
        Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());
        var submitted = await host.As("operator").PostAsync("/api/v1/shipments", ServerHost.Json(WorkflowEndpointTests.Resist("SO-1/1", "2019-08-20", 200)));
        Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync());
        var alert = JsonDocument.Parse(await host.As("viewer").GetStringAsync("/api/v1/reports/alerts")).RootElement.EnumerateArray().Single();
        return alert.GetProperty("list").GetString() + ":" + alert.GetProperty("entity").GetString();
    }

    private static string CliArray(ServerHost host, params string[] args) =>
        "[" + string.Join(",", host.Cli(null, args).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)) + "]";

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task DecideThenRecheck_SameJsonAsCliAndKeyNameAsActor(string provider)
    {
        await using var host = await ServerHost.StartAsync(provider);
        var entity = await HeldOnAnAlertAsync(host);
        var alerts = await host.As("viewer").GetStringAsync("/api/v1/reports/alerts");
        var cliAlerts = CliArray(host, "reports", "alerts", "--output", "json");

        var decided = await host.As("officer").PostAsync("/api/v1/screening/decisions?recheck=false",
            ServerHost.Json($$"""{"party":"Korea Semi Co.","entity":"{{entity}}","decision":"false-positive","reason":"a fab in Icheon, not the listed one"}"""));
        var decisions = await host.As("viewer").GetStringAsync("/api/v1/screening/decisions");
        var recheck = JsonDocument.Parse(await (await host.As("officer").PostAsync("/api/v1/shipments/recheck", null)).Content.ReadAsStringAsync()).RootElement;
        var again = await (await host.As("officer").PostAsync("/api/v1/shipments/recheck", null)).Content.ReadAsStringAsync();

        Assert.Equal(cliAlerts, alerts);
        Assert.Equal("[]", await host.As("viewer").GetStringAsync("/api/v1/reports/alerts"));
        Assert.Equal(System.Net.HttpStatusCode.OK, decided.StatusCode);
        Assert.Equal(CliArray(host, "screening", "decisions", "--output", "json"), decisions);
        Assert.Equal("[" + await decided.Content.ReadAsStringAsync() + "]", decisions);
        Assert.Contains("\"decided_by\":\"officer-key\"", decisions, StringComparison.Ordinal);
        Assert.Equal("SO-1/1", recheck[0].GetProperty("id").GetString());
        Assert.DoesNotContain("screening-match", recheck[0].GetProperty("new").GetProperty("reasons").GetRawText(), StringComparison.Ordinal);
        Assert.Equal(1, recheck[1].GetProperty("summary").GetProperty("changed").GetInt32());
        Assert.Equal(CliArray(host, "shipments", "recheck", "--output", "json"), again);
    }

    /// <summary>
    /// A decision through the API rechecks the held and released lines, as <c>screening decide</c> does: the alert is
    /// cleared on the line at once, the recheck's summary in the header; <c>recheck=false</c> leaves the line as it was.
    /// </summary>
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Decide_RechecksTheHeldLines_RecheckFalseLeavesThemAsTheyWere(string provider)
    {
        await using var host = await ServerHost.StartAsync(provider);
        var entity = await HeldOnAnAlertAsync(host);
        StringContent Decision() => ServerHost.Json($$"""{"party":"Korea Semi Co.","entity":"{{entity}}","decision":"false-positive","reason":"a fab in Icheon, not the listed one"}""");

        var left = await host.As("officer").PostAsync("/api/v1/screening/decisions?recheck=false", Decision());
        var untouched = await host.As("viewer").GetStringAsync("/api/v1/shipments/SO-1%2F1");
        var rechecked = await host.As("officer").PostAsync("/api/v1/screening/decisions", Decision());
        var line = await host.As("viewer").GetStringAsync("/api/v1/shipments/SO-1%2F1");

        Assert.Equal(System.Net.HttpStatusCode.OK, left.StatusCode);
        Assert.False(left.Headers.Contains("Clearance-Recheck"));
        Assert.Contains("\"code\":\"screening-match\"", untouched, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, rechecked.StatusCode);
        Assert.StartsWith("recheck: 1 line(s) rechecked, 1 changed;", rechecked.Headers.GetValues("Clearance-Recheck").Single(), StringComparison.Ordinal);
        Assert.Contains("\"code\":\"screening-cleared\"", line, StringComparison.Ordinal);
        Assert.DoesNotContain("\"code\":\"screening-match\"", line, StringComparison.Ordinal);
        var history = JsonDocument.Parse(line).RootElement.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("actor").GetString());
        Assert.Equal(["operator-key", "officer-key"], history);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Reports_HoldsLicensesOverrides_SameJsonAsCli(string provider)
    {
        await using var host = await ServerHost.StartAsync(provider);
        await host.As("officer").PostAsync("/api/v1/licenses", ServerHost.Json(WorkflowEndpointTests.Licence));
        await host.As("operator").PostAsync("/api/v1/shipments", ServerHost.Json($"[{WorkflowEndpointTests.Resist("SO-1/1", "2019-07-10", 200)},{WorkflowEndpointTests.Resist("SO-2/1", "2019-08-20", 150)},{WorkflowEndpointTests.Resist("SO-3/1", "2019-07-11", 10)}]"));
        await host.As("officer").PostAsync("/api/v1/shipments/SO-1%2F1/release", ServerHost.Json("""{"reason":"licence applied for; file 17"}"""));

        var holds = await host.As("viewer").GetStringAsync("/api/v1/reports/holds?detail=true");
        var licenses = await host.As("viewer").GetStringAsync("/api/v1/reports/licenses?date=2020-06-01&within=90d");
        var overrides = await host.As("viewer").GetStringAsync("/api/v1/reports/overrides");

        Assert.Equal(CliArray(host, "reports", "holds", "--detail", "--output", "json"), holds);
        Assert.Contains("SO-3/1", holds, StringComparison.Ordinal);
        Assert.Equal(CliArray(host, "reports", "licenses", "--date", "2020-06-01", "--within", "90d", "--output", "json"), licenses);
        Assert.Contains("METI-2019-0001", licenses, StringComparison.Ordinal);
        Assert.Equal(CliArray(host, "reports", "overrides", "--output", "json"), overrides);
        Assert.Contains("\"actor\":\"officer-key\"", overrides, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"party":"Korea Semi Co.","entity":"ENTITY","decision":"false-postive","reason":"r"}""", "field 'decision': 'false-postive' is not one of false-positive, true-match: did you mean 'false-positive'?")]
    [InlineData("""{"party":"Korea Semi Co.","entity":"ENTITY","decision":"true-match","reason":" "}""", "field 'reason': give the reason")]
    [InlineData("""{"party":"Korea Semi Co.","entity":"ENTITY","decision":"true-match"}""", "field 'reason': give it")]
    [InlineData("""{"party":"Korea Semi Co.","entity":"1","decision":"true-match","reason":"r"}""", "field 'entity': '1' is not LIST:ENTRY_ID")]
    [InlineData("""{"party":"Korea Semi Co.","entity":"own:999","decision":"true-match","reason":"r"}""", "field 'entity': list own has no entry '999'")]
    [InlineData("""{"party":"Korea Semi Co.","entity":"owm:1","decision":"true-match","reason":"r"}""", "field 'entity': no list 'owm' among the active lists")]
    [InlineData("""{"party":"--","entity":"ENTITY","decision":"true-match","reason":"r"}""", "field 'party': '--' has nothing to screen")]
    [InlineData("""{"party":"Korea Semi Co.","entity":"ENTITY","decison":"true-match","reason":"r"}""", "unknown field 'decison': did you mean 'decision'?")]
    [InlineData("""{"party":"Korea Semi Co.","entity":"ENTITY","decision":1,"reason":"r"}""", "field 'decision': expected a string")]
    public async Task Decide_BadInput_400NamingTheFieldNothingRecorded(string body, string message)
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var entity = await HeldOnAnAlertAsync(host);

        var problem = await ServerHost.ProblemAsync(await host.As("officer").PostAsync("/api/v1/screening/decisions", ServerHost.Json(body.Replace("ENTITY", entity, StringComparison.Ordinal))), 400);

        Assert.Contains(message, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("[]", await host.As("viewer").GetStringAsync("/api/v1/screening/decisions"));
        Assert.DoesNotContain("screening.decide", await host.As("viewer").GetStringAsync("/api/v1/audit"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DecideRecheckReports_WithoutKeyOrBelowTheRole_401Or403NothingWritten()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var entity = await HeldOnAnAlertAsync(host);
        var body = $$"""{"party":"Korea Semi Co.","entity":"{{entity}}","decision":"true-match","reason":"r"}""";
        var audit = await host.As("viewer").GetStringAsync("/api/v1/audit");

        await ServerHost.ProblemAsync(await host.Anonymous.PostAsync("/api/v1/screening/decisions", ServerHost.Json(body)), 401);
        var forbidden = await ServerHost.ProblemAsync(await host.As("operator").PostAsync("/api/v1/screening/decisions", ServerHost.Json(body)), 403);
        await ServerHost.ProblemAsync(await host.As("viewer").PostAsync("/api/v1/shipments/recheck", null), 403);
        await ServerHost.ProblemAsync(await host.Anonymous.GetAsync("/api/v1/screening/decisions"), 401);
        await ServerHost.ProblemAsync(await host.Anonymous.GetAsync("/api/v1/reports/holds"), 401);

        Assert.Contains("needs the role officer", forbidden.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("[]", await host.As("viewer").GetStringAsync("/api/v1/screening/decisions"));
        Assert.Equal(audit, await host.As("viewer").GetStringAsync("/api/v1/audit"));
    }

    [Theory]
    [InlineData("within=ninety", "within: 'ninety'")]
    [InlineData("date=2020-13-01", "date: '2020-13-01'")]
    public async Task LicencesReport_BadParameter_400NamingIt(string query, string message)
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);

        var problem = await ServerHost.ProblemAsync(await host.As("viewer").GetAsync("/api/v1/reports/licenses?" + query), 400);

        Assert.Contains(message, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
