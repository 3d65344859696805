using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Clearance.Server.Tests;

/// <summary>
/// Issue 12 in the service: <c>POST /api/v1/impact</c> answers with the CLI's JSON Lines, and the <c>/impact</c> page
/// takes an uploaded order book and shows the report <c>clearance impact --html</c> writes; operators and above.
/// </summary>
public sealed class ImpactEndpointTests
{
    private static readonly string WorkedExample = Path.Combine(RepoRoot(), "docs", "examples", "2019-orders.jsonl");

    private const string Csv =
        """
        id,date,from,to,item,customer,value_amount,value_currency
        c-1,2019-07-10,JP,KR,JP:7(19),<script>alert(1)</script>,100,JPY
        c-2,2019-07-03,JP,KR,JP:7(19),Samsung Electronics,100,JPY
        """;

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Clearance.slnx")))
                return dir.FullName;
        }

        throw new DirectoryNotFoundException("no Clearance.slnx above " + AppContext.BaseDirectory);
    }

    private static StreamContent Body(string path, string type)
    {
        var content = new StreamContent(File.OpenRead(path));
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    [Fact]
    public async Task ImpactApi_WorkedExampleAsOperator_TheCliJsonLines()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var response = await host.As("operator").PostAsync("/api/v1/impact?known_as_of=2019-07-01", Body(WorkedExample, "application/x-ndjson"));
        var body = await response.Content.ReadAsStringAsync();
        var cli = host.Cli(null, "impact", "--orders", WorkedExample, "--known-as-of", "2019-07-01", "--output", "json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, cli.Exit);
        Assert.Equal(cli.Stdout, body);
        var last = JsonDocument.Parse(body.TrimEnd('\n').Split('\n')[^1]).RootElement;
        Assert.Equal("2019-07-01", last.GetProperty("summary").GetProperty("known_as_of").GetString());
    }

    [Fact]
    public async Task ImpactApi_CsvBody_ChangedLineOnOrAfter4JulyOnly()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var response = await host.As("operator").PostAsync("/api/v1/impact?known_as_of=2019-07-01", new StringContent(Csv, Encoding.UTF8, "text/csv"));
        var lines = (await response.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n').Select(l => JsonDocument.Parse(l).RootElement).ToList();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, lines.Count);
        Assert.Equal("c-1", lines[0].GetProperty("id").GetString());
        Assert.True(lines[0].GetProperty("at_risk").GetBoolean());
        Assert.Equal(2, lines[1].GetProperty("summary").GetProperty("lines").GetInt64());
    }

    [Fact]
    public async Task ImpactApi_ViewerOrBadRequest_Refused()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var viewer = await host.As("viewer").PostAsync("/api/v1/impact?known_as_of=2019-07-01", new StringContent(Csv, Encoding.UTF8, "text/csv"));
        var noDate = await host.As("operator").PostAsync("/api/v1/impact", new StringContent(Csv, Encoding.UTF8, "text/csv"));
        var badType = await host.As("operator").PostAsync("/api/v1/impact?known_as_of=2019-07-01", new StringContent(Csv, Encoding.UTF8, "text/plain"));
        var badHeader = await host.As("operator").PostAsync("/api/v1/impact?known_as_of=2019-07-01", new StringContent("id,date,colour\n", Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.Forbidden, viewer.StatusCode);
        Assert.Contains("known_as_of", (await ServerHost.ProblemAsync(noDate, 400)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        await ServerHost.ProblemAsync(badType, 415);
        Assert.Contains("colour", (await ServerHost.ProblemAsync(badHeader, 400)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImpactPage_UploadedBookAsOperator_ShowsTheReportEscaped()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var (client, _) = PageSession.Browser(host);
        await PageSession.SignInAsync(client, host.KeyOf["operator"]);
        var form = await client.GetStringAsync("/impact");
        using var upload = new MultipartFormDataContent
        {
            { new StringContent(PageSession.TokenOf(form)), "__RequestVerificationToken" },
            { new StringContent("impact"), "_handler" },
            { new StringContent("2019-07-01"), "known_as_of" },
            { new StringContent(Csv, Encoding.UTF8, "text/csv"), "orders", "book.csv" },
        };
        var response = await client.PostAsync("/impact", upload);
        var page = await response.Content.ReadAsStringAsync();

        Assert.Contains("enctype=\"multipart/form-data\"", form, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<section class=\"impact-report\">", page, StringComparison.Ordinal);
        Assert.Contains("<strong>1</strong>ship dates at risk", page, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Count(page, "<svg "));
        Assert.DoesNotContain("<script>", page, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImpactPage_ViewerOrWithoutToken_NoReport()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var (viewer, _) = PageSession.Browser(host);
        await PageSession.SignInAsync(viewer, host.KeyOf["viewer"]);
        var (operatorClient, _) = PageSession.Browser(host);
        await PageSession.SignInAsync(operatorClient, host.KeyOf["operator"]);
        using var forged = new MultipartFormDataContent
        {
            { new StringContent("impact"), "_handler" },
            { new StringContent("2019-07-01"), "known_as_of" },
            { new StringContent(Csv, Encoding.UTF8, "text/csv"), "orders", "book.csv" },
        };

        var byViewer = await viewer.GetAsync("/impact");
        var withoutToken = await operatorClient.PostAsync("/impact", forged);

        Assert.Equal(HttpStatusCode.Redirect, byViewer.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, withoutToken.StatusCode);
        Assert.DoesNotContain("impact-report", await withoutToken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
