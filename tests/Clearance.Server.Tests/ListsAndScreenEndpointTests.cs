using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Clearance.Server.Tests;

/// <summary>List upload, status and diff, and screening: the CLI's JSON, hostile files and list ids refused with nothing imported.</summary>
public sealed class ListsAndScreenEndpointTests
{
    public static TheoryData<string> Providers => TestDatabase.Providers;

    private static async Task<HttpResponseMessage> UploadAsync(ServerHost host, string list, string format, string path, string? filename = null)
    {
        var content = new ByteArrayContent(await File.ReadAllBytesAsync(path));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return await host.As("admin").PostAsync($"/api/v1/lists/{list}/import?format={format}&filename={filename ?? Path.GetFileName(path)}", content);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ListImportAndScreen_SameJsonAsCli(string provider)
    {
        await using var host = await ServerHost.StartAsync(provider);
        var imported = await UploadAsync(host, "meti-eul", "meti-eul", SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv"));
        var parties = new[]
        {
            """{"id":"p-1","name":"Beihang University","country":"CN"}""",
            """{"id":"p-2","name":"Example Trading Co., Ltd.","type":"organization"}""",
            """{"id":"p-3","name":"Kim","contry":"KP"}""",
        };
        var screened = await host.As("operator").PostAsync("/api/v1/screen?limit=3", ServerHost.Json("[" + string.Join(",", parties) + "]"));
        var one = await host.As("operator").PostAsync("/api/v1/screen?limit=3", ServerHost.Json(parties[0]));
        var status = await host.As("viewer").GetStringAsync("/api/v1/lists");

        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        var version = JsonDocument.Parse(await imported.Content.ReadAsStringAsync()).RootElement[0];
        Assert.Equal(("meti-eul", 1, "2025-09-29"), (version.GetProperty("list").GetString(), version.GetProperty("version").GetInt32(), version.GetProperty("source_date").GetString()));
        var cli = host.Cli(string.Join("\n", parties) + "\n", "screen", "--input", "-", "--limit", "3", "--output", "json").Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal("[" + string.Join(",", cli) + "]", await screened.Content.ReadAsStringAsync());
        Assert.Equal(cli[0], await one.Content.ReadAsStringAsync());
        Assert.Contains("did you mean 'country'?", cli[2], StringComparison.Ordinal);
        Assert.Equal("[" + host.Cli(null, "lists", "status", "--output", "json").Stdout.TrimEnd('\n') + "]", status);
        Assert.Contains("\"actor\":\"admin-key\",\"action\":\"lists.import\"", await host.As("viewer").GetStringAsync("/api/v1/audit"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListImport_ScreeningOfChecksUsesTheNewListAtOnce()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        const string Line = """{"id":"o-1","date":"2024-01-01","from":"JP","to":"CN","item":"JP:16","end_use":"civil","end_user":"Beihang University"}""";
        var before = await (await host.As("operator").PostAsync("/api/v1/check", ServerHost.Json(Line))).Content.ReadAsStringAsync();
        await UploadAsync(host, "meti-eul", "meti-eul", SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv"));
        var after = await (await host.As("operator").PostAsync("/api/v1/check", ServerHost.Json(Line))).Content.ReadAsStringAsync();

        Assert.NotEqual(before, after);
        Assert.Equal(host.Cli(Line + "\n", "check", "--input", "-", "--output", "json").Stdout.TrimEnd('\n'), after);
        Assert.Contains("\"end-user\"", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Screen_PartyOnAListAndItsCopy_OneMatchNamingBothListings()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var sdn = host.Directory.Write("sdn_2024-05-03.csv", "id,name,countries\n12927,MAHAN AIR,IR\n");
        var copy = host.Directory.Write("csl_2026-07-31.csv", "id,name,countries\n8254,MAHAN AIR,IR\n");
        await UploadAsync(host, "ofac-sdn", "csv", sdn);
        await UploadAsync(host, "csl-sdn", "csv", copy);

        var screened = await (await host.As("operator").PostAsync("/api/v1/screen", ServerHost.Json("""{"id":"p-1","name":"Mahan Airlines"}"""))).Content.ReadAsStringAsync();

        var match = Assert.Single(JsonDocument.Parse(screened).RootElement.GetProperty("matches").EnumerateArray());
        Assert.Equal(("ofac-sdn", "12927"), (match.GetProperty("list").GetString(), match.GetProperty("entity_id").GetString()));
        Assert.Equal(
            [("ofac-sdn", "12927", "prohibition"), ("csl-sdn", "8254", "prohibition")],
            match.GetProperty("listings").EnumerateArray().Select(l => (l.GetProperty("list").GetString(), l.GetProperty("entity_id").GetString(), l.GetProperty("consequence").GetString())));
        Assert.Equal(host.Cli("""{"id":"p-1","name":"Mahan Airlines"}""" + "\n", "screen", "--input", "-", "--output", "json").Stdout.TrimEnd('\n'), screened);
    }

    [Fact]
    public async Task ListDiff_TwoVersions_SameJsonAsCli()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var first = host.Directory.Write("own_2024-01-01.csv", "id,name,countries\n1,Alpha Trading,CN\n2,Beta Metals,IR\n");
        var second = host.Directory.Write("own_2024-02-01.csv", "id,name,countries\n1,Alpha Trading,CN\n2,Beta Metals Ltd,IR\n3,Gamma Optics,KP\n");
        await UploadAsync(host, "own", "csv", first);
        await UploadAsync(host, "own", "csv", second, "own_2024-02-01.csv");

        var diff = await host.As("viewer").GetStringAsync("/api/v1/lists/own/diff");
        var missing = await ServerHost.ProblemAsync(await host.As("viewer").GetAsync("/api/v1/lists/nothing/diff"), 404);

        Assert.Equal(host.Cli(null, "lists", "diff", "--list", "own", "--output", "json").Stdout.TrimEnd('\n'), diff);
        Assert.Contains("Gamma Optics", diff, StringComparison.Ordinal);
        Assert.Contains("nothing", missing.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("..%2F..%2Fetc", "csv", null)]
    [InlineData("Own", "csv", null)]
    [InlineData("own", "csv", "..%2Fevil.csv")]
    [InlineData("own", "csv", "%2Ftmp%2Fevil.csv")]
    [InlineData("own", "exe", null)]
    [InlineData("own", null, null)]
    public async Task ListImport_PathTraversalOrBadParameter_400NothingImported(string list, string? format, string? filename)
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var query = (format is null ? "" : "format=" + format) + (filename is null ? "" : "&filename=" + filename);
        var response = await host.As("admin").PostAsync($"/api/v1/lists/{list}/import?{query}", new StringContent("id,name\n1,Alpha\n", Encoding.UTF8, "text/csv"));

        await ServerHost.ProblemAsync(response, 400);
        Assert.Equal("[]", await host.As("viewer").GetStringAsync("/api/v1/lists"));
    }

    [Theory]
    [InlineData("un-xml", """<?xml version="1.0"?><!DOCTYPE CONSOLIDATED_LIST [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>&xxe;</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>""")]
    [InlineData("eu-fsf", """<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><export><sanctionEntity logicalId="1"><nameAlias wholeName="&lol2;"/></sanctionEntity></export>""")]
    [InlineData("uk-sanctions", """<Designations><Designation><UniqueID>1""")]
    public async Task ListImport_HostileXml_400NothingImportedServerServes(string format, string xml)
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var response = await host.As("admin").PostAsync($"/api/v1/lists/hostile/import?format={format}", new StringContent(xml, Encoding.UTF8, "application/xml"));

        var problem = await ServerHost.ProblemAsync(response, 400);
        Assert.Equal("invalid-list-file", problem.GetProperty("code").GetString());
        Assert.DoesNotContain("/tmp", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("[]", await host.As("viewer").GetStringAsync("/api/v1/lists"));
        Assert.Equal(HttpStatusCode.OK, (await host.Anonymous.GetAsync("/health/live")).StatusCode);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-0.1")]
    [InlineData("1.5")]
    [InlineData("abc")]
    public async Task Screen_ThresholdNotAScoreFrom0To1_400(string threshold)
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var response = await host.As("operator").PostAsync($"/api/v1/screen?threshold={threshold}", ServerHost.Json("""{"name":"Beihang University"}"""));

        await ServerHost.ProblemAsync(response, 400);
    }

    [Fact]
    public async Task Screen_NoListsYet_503SayingHowToImport()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var problem = await ServerHost.ProblemAsync(await host.As("operator").PostAsync("/api/v1/screen", ServerHost.Json("""{"name":"Beihang University"}""")), 503);

        Assert.Contains("import", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
