using System.Text.Json;

namespace Clearance.Cli.Tests;

/// <summary><c>clearance reports</c> over a small order book: JSON Lines and CSV for scripts, tables at 80 columns for people.</summary>
public sealed class ReportsCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public ReportsCommandTests()
    {
        // A company list naming one customer, the licence for resist to Korea, and a book: resist to Korea in July 2019
        // (held for the licence), two lines to that customer (held for the match; an officer releases one of them), resist
        // to Korea in September (drawn on the licence).
        var list = _dir.Write("watch.csv", "id,name\nW-1,Beihang University\n");
        Assert.Equal(0, Run("lists", "import", "--format", "csv", list).Exit);
        Assert.Equal(0, Run(LicensesCommandTests.Resist).Exit);
        var book = _dir.Write("book.jsonl", """
            {"id":"SO-1/1","exporter":"Example Chemical Co.","date":"2019-07-10","from":"JP","to":"KR","item":"JP:7(19)","end_use":"civil","consignee":"Korea Semi Co.","quantity":{"amount":200,"unit":"kg"}}
            {"id":"SO-2/1","exporter":"Example Chemical Co.","date":"2024-01-10","from":"JP","to":"CN","item":"JP:16","end_use":"civil","end_user":"Beihang University"}
            {"id":"SO-2/2","exporter":"Example Chemical Co.","date":"2024-01-10","from":"JP","to":"CN","item":"JP:16","end_use":"civil","consignee":"Beihang University"}
            {"id":"SO-3/1","exporter":"Example Chemical Co.","date":"2019-09-02","from":"JP","to":"KR","item":"JP:7(19)","end_use":"civil","consignee":"Korea Semi Co.","quantity":{"amount":300,"unit":"kg"}}

            """);
        Assert.Equal(0, Run("shipments", "submit", "--input", book).Exit);
        Assert.Equal(0, Run("shipments", "release", "SO-2/2", "--reason", "consignee is the university's forwarder, not the listed entity", "--actor", "a.tanaka").Exit);
    }

    private string Db => Path.Combine(_dir.FullName, "clearance.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private (int Exit, string Stdout, string Stderr) Run(params string[] args) => CliRunner.Run(Db, null, args);

    private List<JsonElement> Records(params string[] args)
    {
        var run = Run(args);
        Assert.True(run.Exit == 0, run.Stderr);
        return [.. run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)];
    }

    [Fact]
    public void Reports_Redirected_JsonLinesByDefault_CsvOnRequest()
    {
        var holds = Records("reports", "holds", "--detail"); // SO-2/1 is also indeterminate: no end-user list (METI's) is loaded
        var licences = Records("reports", "licenses", "--within", "90d", "--date", "2020-06-01");
        var alerts = Records("reports", "alerts");
        var overrides = Records("reports", "overrides");
        var csv = Run("reports", "holds", "-o", "csv");

        Assert.Equal(
            ["reason indeterminate 1 SO-2/1", "reason license-required 1 SO-1/1", "reason screening-match 1 SO-2/1", "destination CN 1 SO-2/1", "destination KR 1 SO-1/1"],
            holds.Select(h => $"{h.GetProperty("by").GetString()} {h.GetProperty("key").GetString()} {h.GetProperty("lines").GetInt32()} {string.Join(';', h.GetProperty("ids").EnumerateArray().Select(i => i.GetString()))}"));
        var licence = Assert.Single(licences);
        Assert.Equal(("METI-2019-0001", 67, true), (licence.GetProperty("number").GetString(), licence.GetProperty("days_left").GetInt32(), licence.GetProperty("expiring").GetBoolean()));
        Assert.Equal((300m, 200m, 60m), (licence.GetProperty("quantity").GetProperty("drawn").GetDecimal(), licence.GetProperty("quantity").GetProperty("remaining").GetDecimal(), licence.GetProperty("used_percent").GetDecimal()));
        var alert = Assert.Single(alerts); // SO-2/2's match was overridden: released, no longer awaiting review
        Assert.Equal(("Beihang University", "own", "W-1", 1, "SO-2/1"), (alert.GetProperty("party").GetString(), alert.GetProperty("list").GetString(),
            alert.GetProperty("entity").GetString(), alert.GetProperty("lines").GetInt32(), alert.GetProperty("ids")[0].GetString()));
        var released = Assert.Single(overrides);
        Assert.Equal(("SO-2/2", "a.tanaka", "released"), (released.GetProperty("id").GetString(), released.GetProperty("actor").GetString(), released.GetProperty("status").GetString()));
        Assert.Equal(0, csv.Exit);
        Assert.StartsWith("by,key,lines,oldest_hold,ids\nreason,indeterminate,1,", csv.Stdout, StringComparison.Ordinal);
        Assert.StartsWith("id,at,actor,reason,status,license\nSO-2/2,", Run("reports", "overrides", "-o", "csv").Stdout, StringComparison.Ordinal);
        Assert.StartsWith(Clearance.Application.ReportsJson.LicensesCsvHeader + "\nMETI-2019-0001,JP,individual,", Run("reports", "licenses", "-o", "csv").Stdout, StringComparison.Ordinal);
        Assert.StartsWith(Clearance.Application.ReportsJson.AlertsCsvHeader + "\nBeihang University,end_user,own,W-1,", Run("reports", "alerts", "-o", "csv").Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_Terminal80Columns_TablesThatFit()
    {
        var holds = CliRunner.Terminal(Db, 80, "reports", "holds", "--detail");
        var licences = CliRunner.Terminal(Db, 80, "reports", "licenses", "--date", "2020-06-01");
        var alerts = CliRunner.Terminal(Db, 80, "reports", "alerts");
        var overrides = CliRunner.Terminal(Db, 80, "reports", "overrides");

        Assert.All(new[] { holds, licences, alerts, overrides }, r => Assert.Equal(0, r.Exit));
        Assert.Contains("held lines by reason", holds.Text, StringComparison.Ordinal);
        Assert.Contains("held lines by destination", holds.Text, StringComparison.Ordinal);
        Assert.Contains("2 held line(s); the longest held since", holds.Text, StringComparison.Ordinal);
        Assert.Contains("300 / 500 kg", licences.Text, StringComparison.Ordinal);
        Assert.Contains("60 %", licences.Text, StringComparison.Ordinal);
        Assert.Contains("1 licence(s); 1 expiring within 90 days of 2020-06-01: METI-2019-0001", licences.Text, StringComparison.Ordinal);
        Assert.Contains("Beihang University", alerts.Text, StringComparison.Ordinal);
        Assert.Contains("1 alert(s) awaiting review, holding 1 line(s)", alerts.Text, StringComparison.Ordinal);
        Assert.Contains("a.tanaka", overrides.Text, StringComparison.Ordinal);
        Assert.Contains("1 override(s)", overrides.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_BadWindowOrDate_Exit1WithOneLine()
    {
        Assert.Equal((1, "", "error: --within: 'ninety' is not a number of days such as 90d\n"), Run("reports", "licenses", "--within", "ninety"));
        Assert.Equal(1, Run("reports", "licenses", "--date", "2020-13-01").Exit);
    }
}
