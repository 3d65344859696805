using System.Net;
using System.Text;

namespace Clearance.Server.Tests;

public sealed class CheckEndpointTests
{
    private const string Line1 = """{"id":"o-1","date":"2019-07-04","from":"JP","to":"KR","item":"JP:3(1)","end_use":"civil"}""";
    private const string Line2 = """{"id":"o-2","date":"2019-07-03","from":"Japan","to":"South Korea","item":"JP:7(19)","end_use":"civil","value":{"amount":5000000,"currency":"JPY"}}""";
    private const string Bad = """{"id":"o-3","date":"2019-07-04","from":"JP","to":"KR","item":"JP:3(1)","inform":true}""";

    public static TheoryData<string> Providers => TestDatabase.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Check_OneObject_SameJsonAsCli(string provider)
    {
        await using var host = await ServerHost.StartAsync(provider);

        await AssertSameAsCli(host, Line1);
    }

    /// <summary>One line posted gives the JSON <c>clearance check</c> writes for it; returns the body.</summary>
    private static async Task<string> AssertSameAsCli(ServerHost host, string line)
    {
        var response = await host.As("operator").PostAsync("/api/v1/check", ServerHost.Json(line));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cli = host.Cli(line + "\n", "check", "--input", "-", "--output", "json");
        Assert.Equal(0, cli.Exit);
        Assert.Equal(cli.Stdout.TrimEnd('\n'), body);
        return body;
    }

    [Fact]
    public async Task Check_OtherPartiesToTheTransaction_SameJsonAsCli()
    {
        // The purchaser, the intermediate consignees and the consignee's decision are read by the endpoint as by the CLI.
        const string line = """{"id":"p-1","date":"2024-01-01","from":"US","to":"CN","item":"US:EAR99","end_use":"civil","end_user":"A","consignee":"B","consignee_decision":"cleared","purchaser":"C","intermediate_consignees":["D","E"]}""";
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);

        var body = await AssertSameAsCli(host, line);

        Assert.Contains("\"verdict\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_PrettyPrintedObject_SameAsCompact()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var pretty = Line1.Replace(",", ",\n    ", StringComparison.Ordinal);
        var compact = await (await host.As("operator").PostAsync("/api/v1/check", ServerHost.Json(Line1))).Content.ReadAsStringAsync();
        var indented = await (await host.As("operator").PostAsync("/api/v1/check", ServerHost.Json(pretty))).Content.ReadAsStringAsync();

        Assert.Equal(compact, indented);
    }

    [Fact]
    public async Task Check_Array_EachResultAsCliWithTheErrorInItsPlace()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var response = await host.As("operator").PostAsync("/api/v1/check", ServerHost.Json($"[{Line1},{Bad},{Line2}]"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cli = host.Cli($"{Line1}\n{Bad}\n{Line2}\n", "check", "--input", "-", "--output", "json");
        Assert.Equal(2, cli.Exit);
        Assert.Equal("[" + string.Join(",", cli.Stdout.TrimEnd('\n').Split('\n')) + "]", body);
        Assert.Contains("unknown field 'inform': did you mean 'informed'?", body, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Check_JsonLines_StreamedBackAsCliWritesThem(string provider)
    {
        await using var host = await ServerHost.StartAsync(provider);
        var lines = string.Join("\n", Enumerable.Range(0, 300).Select(i => i % 3 == 0 ? Line1 : i % 3 == 1 ? Line2 : Bad)) + "\n";
        var content = new StringContent(lines, Encoding.UTF8, "application/x-ndjson");
        var response = await host.As("operator").PostAsync("/api/v1/check", content);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(host.Cli(lines, "check", "--input", "-", "--output", "json").Stdout, body);
    }

    [Fact]
    public async Task Check_UnknownField_400NamingTheField()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var problem = await ServerHost.ProblemAsync(await host.As("operator").PostAsync("/api/v1/check", ServerHost.Json(Bad)), 400);

        Assert.Equal("unknown-field", problem.GetProperty("code").GetString());
        Assert.Contains("'inform': did you mean 'informed'?", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"id":"x","date":20190704,"from":"JP","to":"KR","item":"JP:3(1)"}""", "date")]
    [InlineData("""{"id":"x","date":"2019-07-04","from":"JP","to":"KR","item":"JP:3(1)","value":{"amount":"many","currency":"JPY"}}""", "value.amount")]
    [InlineData("""{"id":"x","date":"2019-07-04","from":"JP","to":"KR","item":"JP:3(1)","informed":"perhaps"}""", "informed")]
    [InlineData("""{"id":"x","date":"2019-07-04","from":"US","to":"CN","item":"US:EAR99","consignee":"X","consignee_decision":"maybe"}""", "consignee_decision")]
    [InlineData("""{"id":"x","date":"2019-07-04","from":"US","to":"CN","item":"US:EAR99","purchaser":7}""", "purchaser")]
    [InlineData("""{"id":"x","date":"2019-07-04","from":"US","to":"CN","item":"US:EAR99","intermediate_consignees":"X"}""", "intermediate_consignees")]
    public async Task Check_WrongType_400NamingTheField(string body, string field)
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var problem = await ServerHost.ProblemAsync(await host.As("operator").PostAsync("/api/v1/check", ServerHost.Json(body)), 400);

        Assert.Contains($"'{field}'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"id\":")]
    [InlineData("not json")]
    [InlineData("\"a string\"")]
    [InlineData("{} {}")]
    [InlineData("")]
    public async Task Check_MalformedJson_400AndTheServerKeepsServing(string body)
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var client = host.As("operator");
        await ServerHost.ProblemAsync(await client.PostAsync("/api/v1/check", ServerHost.Json(body)), 400);

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/v1/check", ServerHost.Json(Line1))).StatusCode);
    }

    [Fact]
    public async Task Check_Trace_AddsTheRulesConsulted()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var body = await (await host.As("operator").PostAsync("/api/v1/check?trace=true", ServerHost.Json(Line1))).Content.ReadAsStringAsync();

        Assert.Equal(host.Cli(Line1 + "\n", "check", "--input", "-", "--output", "json", "--trace").Stdout.TrimEnd('\n'), body);
        Assert.Contains("\"trace\"", body, StringComparison.Ordinal);
    }
}
