using System.Net;
using System.Text;
using System.Text.Json;

namespace Clearance.Server.Tests;

/// <summary>Licences, shipments and the audit trail over HTTP: the CLI's JSON for the same records, the key's name as actor.</summary>
public sealed class WorkflowEndpointTests
{
    internal const string Licence =
        """{"number":"METI-2019-0001","jurisdiction":"JP","type":"individual","holder":"Example Chemical Co.","items":["JP:7(19)"],"destinations":["South Korea"],"consignees":["Korea Semi Co."],"valid_from":"2019-08-08","valid_to":"2020-08-07","quantity":{"amount":500,"unit":"kg"}}""";

    public static TheoryData<string> Providers => TestDatabase.Providers;

    internal static string Resist(string id, string date, int kg) =>
        $$$"""{"id":"{{{id}}}","order":"{{{id.Split('/')[0]}}}","line":{{{id.Split('/')[1]}}},"exporter":"Example Chemical Co.","date":"{{{date}}}","from":"JP","to":"KR","item":"JP:7(19)","end_use":"civil","consignee":"Korea Semi Co.","quantity":{"amount":{{{kg}}},"unit":"kg"}}""";

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Licences_AddShowTransition_SameJsonAsCliAndKeyNameAsActor(string provider)
    {
        await using var host = await ServerHost.StartAsync(provider);
        var officer = host.As("officer");
        var added = await officer.PostAsync("/api/v1/licenses", ServerHost.Json(Licence));
        var again = await officer.PostAsync("/api/v1/licenses", ServerHost.Json($"[{Licence}]"));
        var suspended = await officer.PostAsync("/api/v1/licenses/METI-2019-0001/suspend", ServerHost.Json("""{"reason":"audit pending","date":"2019-09-01"}"""));
        var shown = await (await host.As("viewer").GetAsync("/api/v1/licenses/METI-2019-0001")).Content.ReadAsStringAsync();
        var listed = await (await host.As("viewer").GetAsync("/api/v1/licenses")).Content.ReadAsStringAsync();

        Assert.Equal("""{"number":"METI-2019-0001","added":true}""", await added.Content.ReadAsStringAsync());
        Assert.Equal("""[{"number":"METI-2019-0001","added":false}]""", await again.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, suspended.StatusCode);
        Assert.Equal(host.Cli(null, "licenses", "show", "METI-2019-0001", "--output", "json").Stdout.TrimEnd('\n'), shown);
        Assert.Equal("[" + host.Cli(null, "licenses", "list", "--output", "json").Stdout.TrimEnd('\n') + "]", listed);
        Assert.Contains("\"actor\":\"officer-key\"", shown, StringComparison.Ordinal);
        Assert.Equal(shown, await suspended.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Adding and revoking a licence through the API recheck the held and released lines, as <c>licenses add|revoke</c>
    /// do: the line held for a licence is released on the new one, then held again when it is revoked (its drawdown
    /// returned); the recheck's summary in the header each time.
    /// </summary>
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task LicenceAddAndRevoke_RecheckTheHeldLines_AsTheCliDoes(string provider)
    {
        await using var host = await ServerHost.StartAsync(provider);
        var officer = host.As("officer");
        await host.As("operator").PostAsync("/api/v1/shipments", ServerHost.Json(Resist("SO-2/1", "2019-08-20", 150)));
        var held = await host.As("viewer").GetStringAsync("/api/v1/shipments/SO-2%2F1");

        var added = await officer.PostAsync("/api/v1/licenses", ServerHost.Json(Licence));
        var released = JsonDocument.Parse(await host.As("viewer").GetStringAsync("/api/v1/shipments/SO-2%2F1")).RootElement;
        var revoked = await officer.PostAsync("/api/v1/licenses/METI-2019-0001/revoke", ServerHost.Json("""{"reason":"holder sold the fab","date":"2019-09-01"}"""));
        var heldAgain = await host.As("viewer").GetStringAsync("/api/v1/shipments/SO-2%2F1");
        var licence = JsonDocument.Parse(await host.As("viewer").GetStringAsync("/api/v1/licenses/METI-2019-0001")).RootElement;

        Assert.Contains("\"status\":\"held\"", held, StringComparison.Ordinal);
        Assert.StartsWith("recheck: 1 line(s) rechecked, 1 changed;", added.Headers.GetValues("Clearance-Recheck").Single(), StringComparison.Ordinal);
        Assert.Equal("released", released.GetProperty("status").GetString());
        Assert.Equal("METI-2019-0001", released.GetProperty("license").GetString());
        Assert.StartsWith("recheck: 1 line(s) rechecked, 1 changed;", revoked.Headers.GetValues("Clearance-Recheck").Single(), StringComparison.Ordinal);
        Assert.Contains("\"status\":\"held\"", heldAgain, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"license-withdrawn\"", heldAgain, StringComparison.Ordinal);
        Assert.Equal(500m, licence.GetProperty("balance").GetProperty("quantity_remaining").GetDecimal());
    }

    [Theory]
    [InlineData("""{"reason":"x","dat":"2019-09-01"}""", "unknown field 'dat': did you mean 'date'?")]
    [InlineData("""{"reason":5}""", "field 'reason': expected a string")]
    [InlineData("""{}""", "field 'reason': give the reason")]
    [InlineData("""[1]""", "the body must be a JSON object")]
    public async Task LicenceTransition_BadBody_400AndNothingChanged(string body, string message)
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        await host.As("officer").PostAsync("/api/v1/licenses", ServerHost.Json(Licence));
        var before = await host.As("viewer").GetStringAsync("/api/v1/licenses/METI-2019-0001");

        var problem = await ServerHost.ProblemAsync(await host.As("officer").PostAsync("/api/v1/licenses/METI-2019-0001/revoke", ServerHost.Json(body)), 400);

        Assert.Contains(message, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await host.As("viewer").GetStringAsync("/api/v1/licenses/METI-2019-0001"));
    }

    [Fact]
    public async Task LicenceAdd_UnknownField_400NamingIt()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var body = Licence.Replace("\"destinations\"", "\"destinatons\"", StringComparison.Ordinal);
        var problem = await ServerHost.ProblemAsync(await host.As("officer").PostAsync("/api/v1/licenses", ServerHost.Json(body)), 400);

        Assert.Contains("unknown field 'destinatons': did you mean 'destinations'?", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("[]", await host.As("viewer").GetStringAsync("/api/v1/licenses"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Shipments_SubmitAssignRelease_SameJsonAsCliAuditedUnderTheKey(string provider)
    {
        await using var host = await ServerHost.StartAsync(provider);
        var operatorKey = host.As("operator");
        var officer = host.As("officer");
        var july = await operatorKey.PostAsync("/api/v1/shipments", ServerHost.Json($"[{Resist("SO-1/1", "2019-07-10", 200)},{Resist("SO-2/1", "2019-08-20", 150)}]"));
        await officer.PostAsync("/api/v1/licenses?recheck=false", ServerHost.Json(Licence)); // assigned below by hand, not by the recheck
        var assigned = await officer.PostAsync("/api/v1/shipments/SO-2%2F1/assign", ServerHost.Json("""{"license":"METI-2019-0001"}"""));
        var released = await officer.PostAsync("/api/v1/shipments/SO-1%2F1/release", ServerHost.Json("""{"reason":"shipped under the licence applied for; see file 17"}"""));
        var shown = await host.As("viewer").GetStringAsync("/api/v1/shipments/SO-1%2F1");
        var held = await host.As("viewer").GetStringAsync("/api/v1/shipments?status=held");
        var all = await host.As("viewer").GetStringAsync("/api/v1/shipments");

        var submitted = JsonDocument.Parse(await july.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["held", "held"], submitted.EnumerateArray().Select(r => r.GetProperty("status").GetString()));
        Assert.Equal(HttpStatusCode.OK, assigned.StatusCode);
        Assert.Equal("released", JsonDocument.Parse(await released.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
        Assert.Equal(host.Cli(null, "shipments", "show", "SO-1/1", "--output", "json").Stdout.TrimEnd('\n'), shown);
        Assert.Equal("[" + string.Join(",", host.Cli(null, "shipments", "list", "--output", "json").Stdout.TrimEnd('\n').Split('\n')) + "]", all);
        Assert.Equal("[]", held);
        var actors = JsonDocument.Parse(shown).RootElement.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("actor").GetString());
        Assert.Equal(["operator-key", "officer-key"], actors);
    }

    [Fact]
    public async Task Shipments_JsonLines_StreamedInOrder()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var lines = string.Join("\n", Enumerable.Range(1, 20).Select(i => Resist($"SO-{i}/1", "2019-07-10", 10))) + "\n";
        var response = await host.As("operator").PostAsync("/api/v1/shipments", new StringContent(lines, Encoding.UTF8, "application/x-ndjson"));
        var records = (await response.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n').Select(l => JsonDocument.Parse(l).RootElement).ToList();

        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"SO-{i}/1"), records.Select(r => r.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task ShipmentRelease_WithoutReason_400AndStillHeld()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        await host.As("operator").PostAsync("/api/v1/shipments", ServerHost.Json(Resist("SO-1/1", "2019-07-10", 200)));

        var problem = await ServerHost.ProblemAsync(await host.As("officer").PostAsync("/api/v1/shipments/SO-1%2F1/release", ServerHost.Json("{}")), 400);
        var missing = await ServerHost.ProblemAsync(await host.As("officer").PostAsync("/api/v1/shipments/none/release", ServerHost.Json("""{"reason":"r"}""")), 404);

        Assert.Contains("'reason'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("none", missing.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("\"status\":\"held\"", await host.As("viewer").GetStringAsync("/api/v1/shipments/SO-1%2F1"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Audit_QueryExportVerify_SameRecordsAsCli(string provider)
    {
        await using var host = await ServerHost.StartAsync(provider);
        await host.As("officer").PostAsync("/api/v1/licenses", ServerHost.Json(Licence));
        await host.As("operator").PostAsync("/api/v1/shipments", ServerHost.Json(Resist("SO-1/1", "2019-09-02", 200)));

        var queried = await host.As("viewer").GetStringAsync("/api/v1/audit");
        var exported = await host.As("viewer").GetStringAsync("/api/v1/audit/export?from=2000-01-01");
        var verified = await (await host.As("viewer").PostAsync("/api/v1/audit/verify", null)).Content.ReadAsStringAsync();
        var badBound = await ServerHost.ProblemAsync(await host.As("viewer").GetAsync("/api/v1/audit?from=yesterday"), 400);

        var cli = host.Cli(null, "audit", "export").Stdout;
        Assert.Equal(cli, exported);
        Assert.Equal("[" + string.Join(",", cli.TrimEnd('\n').Split('\n')) + "]", queried);
        Assert.Contains("\"actor\":\"officer-key\",\"action\":\"license.add\"", queried, StringComparison.Ordinal);
        Assert.StartsWith("{\"intact\":true,", verified, StringComparison.Ordinal);
        Assert.Contains("'yesterday'", badBound.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
