using System.Text.Json;

namespace Clearance.Cli.Tests;

/// <summary><c>clearance shipments</c> as a compliance team uses it: the July 2019 story of resist to Korea.</summary>
public sealed class ShipmentsCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private string Db => Path.Combine(_dir.FullName, "clearance.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private (int Exit, string Stdout, string Stderr) Run(params string[] args) => CliRunner.Run(Db, null, args);

    private static string Resist(string id, string date, int kg, string? license = null) =>
        $$"""{"id":"{{id}}","order":"{{id.Split('/')[0]}}","line":{{id.Split('/')[1]}},"exporter":"Example Chemical Co.","date":"{{date}}","from":"JP","to":"KR","item":"JP:7(19)","end_use":"civil","consignee":"Korea Semi Co.","quantity":{"amount":{{kg}},"unit":"kg"}{{(license is null ? "" : $",\"license\":\"{license}\"")}}}""";

    private static List<JsonElement> Records(string stdout) =>
        [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)];

    private static string[] Codes(JsonElement record) => [.. record.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("code").GetString()!)];

    private static decimal Remaining(JsonElement licence) => licence.GetProperty("balance").GetProperty("quantity_remaining").GetDecimal();

    [Fact]
    public void Story_HeldForTheLicenceInJuly2019_ReleasedWithDrawdownOnceGranted_AuditVerifies()
    {
        // July 2019: resist to Korea needs an individual licence, and none exists yet.
        var book = _dir.Write("july.jsonl", string.Join("\n", Resist("SO-1/1", "2019-07-10", 200), Resist("SO-1/2", "2019-07-10", 100), Resist("SO-2/1", "2019-08-20", 150)) + "\n");
        var july = Run("shipments", "submit", "--input", book);

        Assert.Equal(0, july.Exit);
        var held = Records(july.Stdout);
        Assert.Equal(["held", "held", "held"], held.Select(r => r.GetProperty("status").GetString()));
        var reason = held[0].GetProperty("reasons")[0];
        Assert.Equal("license-required", reason.GetProperty("code").GetString());
        Assert.Equal(["individual"], reason.GetProperty("eligible_types").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(90, reason.GetProperty("review_days").GetInt32());
        Assert.Equal("2019-10-08", reason.GetProperty("earliest_decision").GetString()); // before the licence of 8 Aug exists
        Assert.Equal(JsonValueKind.Null, held[0].GetProperty("license").ValueKind);
        Assert.Equal("license-required", held[0].GetProperty("determination").GetProperty("verdict").GetString());

        // The licence is granted; the July lines ship later under new ids, and the held August line is assigned it.
        Assert.Equal(0, Run([.. LicensesCommandTests.Resist, "--no-recheck"]).Exit); // assigned by hand below (a recheck would assign it)
        var later = _dir.Write("later.jsonl", string.Join("\n", Resist("SO-1/3", "2019-09-02", 200), Resist("SO-1/4", "2019-09-02", 100)) + "\n");
        var resubmitted = Records(Run("shipments", "submit", "--input", later).Stdout);
        var assign = Run("shipments", "assign", "SO-2/1", "--license", "METI-2019-0001", "--actor", "officer", "-o", "json");
        var again = Records(Run("shipments", "submit", "--input", later).Stdout);

        Assert.All(resubmitted, r => Assert.Equal(("released", "METI-2019-0001"), (r.GetProperty("status").GetString(), r.GetProperty("license").GetString())));
        Assert.Equal(0, assign.Exit);
        var assigned = JsonDocument.Parse(assign.Stdout).RootElement;
        Assert.Equal("released", assigned.GetProperty("status").GetString());
        Assert.Equal(["submit", "assign"], assigned.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("action").GetString()));
        Assert.All(again, r => Assert.True(r.GetProperty("repeated").GetBoolean())); // idempotent: nothing drawn again
        var changed = Run("shipments", "submit", "--input", _dir.Write("changed.jsonl", Resist("SO-1/3", "2019-09-02", 250) + "\n"));
        Assert.Equal(0, changed.Exit);
        Assert.True(Records(changed.Stdout)[0].GetProperty("differs").GetBoolean());
        Assert.Equal("warning: line 1: id SO-1/3 was submitted before with other fields; the stored result stands (submit a changed line under a new id)", changed.Stderr.Trim());
        var licence = JsonDocument.Parse(Run("licenses", "show", "METI-2019-0001", "-o", "json").Stdout).RootElement;
        Assert.Equal(50m, Remaining(licence)); // 500 - 200 - 100 - 150
        Assert.Equal(3, licence.GetProperty("drawdowns").GetArrayLength());
        Assert.Equal(["SO-1/1", "SO-1/2"], Records(Run("shipments", "list", "--status", "held", "-o", "json").Stdout).Select(r => r.GetProperty("id").GetString()));

        // Beyond the balance: held for it; cancelling a line returns its drawdown.
        var big = _dir.Write("big.jsonl", Resist("SO-3/1", "2019-09-10", 100) + "\n");
        var short1 = Records(Run("shipments", "submit", "--input", big).Stdout)[0];
        Assert.Equal(["license-required", "license-balance"], Codes(short1));
        Assert.Equal(["SO-3/1"], Records(Run("shipments", "list", "--reason", "license-balance", "-o", "json").Stdout).Select(r => r.GetProperty("id").GetString()));
        Assert.Equal(0, Run("shipments", "cancel", "SO-1/4", "--reason", "order withdrawn").Exit);
        Assert.Equal(150m, Remaining(JsonDocument.Parse(Run("licenses", "show", "METI-2019-0001", "-o", "json").Stdout).RootElement));

        var verify = Run("audit", "verify");
        Assert.Equal(0, verify.Exit);
        var audit = Records(Run("audit", "export").Stdout);
        var actions = audit.Select(r => r.GetProperty("action").GetString()).ToList();
        var first = audit.First(r => r.GetProperty("action").GetString() == "shipment.submit");
        Assert.Equal(("SO-1/1", "held"), (first.GetProperty("subject").GetString(), first.GetProperty("outputs").GetProperty("status").GetString()));
        Assert.Equal("license-required", first.GetProperty("outputs").GetProperty("determination").GetProperty("verdict").GetString());
        Assert.Equal(200, first.GetProperty("inputs").GetProperty("quantity").GetProperty("amount").GetInt32());
        Assert.StartsWith("sha256:", first.GetProperty("content_version").GetString(), StringComparison.Ordinal);
        Assert.Equal(9, actions.Count(a => a == "shipment.submit")); // the repeat is audited too
        Assert.Contains("shipment.assign", actions);
        Assert.Contains("license.reverse", actions);
    }

    [Fact]
    public void Submit_BadLinesAmongGood_ErrorRecordsTheRestRecordedExit2()
    {
        var book = _dir.Write("book.csv", """
            id,order,line,exporter,date,from,to,item,end_use,license,quantity_amount,quantity_unit
            c-1,PO-7,1,Example Chemical Co.,2019-07-10,JP,US,JP:16,civil,,,
            ,PO-7,2,Example Chemical Co.,2019-07-10,JP,US,JP:16,civil,,,
            c-3,PO-7,3,Example Chemical Co.,2019-09-02,JP,KR,JP:7(19),civil,NO-SUCH-LICENCE,5,kg
            c-4,PO-7,4,Example Chemical Co.,2019-07-10,JP,KP,JP:16,civil,,,

            """);

        var result = Run("shipments", "submit", "--input", book, "-o", "json");

        Assert.Equal(2, result.Exit);
        var records = Records(result.Stdout);
        Assert.Equal(4, records.Count);
        Assert.Equal("released", records[0].GetProperty("status").GetString());
        Assert.Equal("line 3: missing required field 'id'", records[1].GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("line 4: field 'license': no licence numbered NO-SUCH-LICENCE", records[2].GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("rejected", records[3].GetProperty("status").GetString());
        Assert.Equal(["c-1", "c-4"], Records(Run("shipments", "list", "-o", "json").Stdout).Select(r => r.GetProperty("id").GetString()));
    }

    [Fact]
    public void Release_OfficerOverrideNeedsAReason_RecordedWithActor()
    {
        var book = _dir.Write("book.jsonl", Resist("SO-1/1", "2019-07-10", 10) + "\n");
        Assert.Equal(0, Run("shipments", "submit", "--input", book).Exit);

        var noReason = Run("shipments", "release", "SO-1/1", "--reason", " ", "--actor", "officer");
        var released = Run("shipments", "release", "SO-1/1", "--reason", "shipped under the customer's own licence", "--actor", "k.sato", "-o", "json");
        var unknown = Run("shipments", "show", "SO-9/9");

        Assert.Equal(1, noReason.Exit);
        Assert.Equal("error: --reason: give the reason (it is recorded)", noReason.Stderr.Trim());
        Assert.Equal(0, released.Exit);
        var record = JsonDocument.Parse(released.Stdout).RootElement;
        Assert.Equal("released", record.GetProperty("status").GetString());
        var officer = record.GetProperty("reasons").EnumerateArray().Last();
        Assert.Equal(("officer-release", "k.sato"), (officer.GetProperty("code").GetString(), officer.GetProperty("actor").GetString()));
        Assert.Equal((1, "error: no shipment with id SO-9/9"), (unknown.Exit, unknown.Stderr.Trim()));
        Assert.Contains("shipment.release", Run("audit", "export").Stdout, StringComparison.Ordinal);
    }
}
