using System.Text.RegularExpressions;

namespace Clearance.Cli.Tests;

/// <summary>
/// <c>clearance impact --html FILE</c>: the HTML report is written beside whichever output was asked for, and a path
/// that cannot be written fails before the book is read.
/// </summary>
public sealed class ImpactHtmlCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static string WorkedExample => Path.Combine(ReadmeFixture.RepoRoot, "docs", "examples", "2019-orders.jsonl");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("json", "\"summary\":{\"known_as_of\":\"2019-07-01\"")]
    [InlineData("csv", "id,line,order,order_line,customer,date")]
    public void Impact_HtmlWithAnyOutput_WritesTheReportToo(string output, string printed)
    {
        var report = Path.Combine(_dir.FullName, "report.html");
        var (code, stdout, stderr) = CommandLineTests.ClearanceWithDb(Path.Combine(_dir.FullName, "lists.db"),
            "impact", "--orders", WorkedExample, "--known-as-of", "2019-07-01", "--output", output, "--html", report);

        Assert.True(code == 0, stderr);
        Assert.Contains(printed, stdout, StringComparison.Ordinal);
        var html = File.ReadAllText(report);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("as known on 1 Jul 2019</h1>", html, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Count(html, "<svg "));
        Assert.Contains("jp.kr-2019-07.general-bulk-withdrawn", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Impact_HtmlInAMissingFolder_FailsNamingTheFlag()
    {
        var (code, stdout, stderr) = CommandLineTests.ClearanceWithDb(Path.Combine(_dir.FullName, "lists.db"),
            "impact", "--orders", WorkedExample, "--known-as-of", "2019-07-01", "--output", "json", "--html", Path.Combine(_dir.FullName, "no-such-folder", "report.html"));

        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Contains("error: --html: ", stderr, StringComparison.Ordinal);
    }
}
