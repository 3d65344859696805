using System.Text.Json;

namespace Clearance.Cli.Tests;

/// <summary><c>clearance licenses</c> and <c>clearance audit</c> as a person and a script use them.</summary>
public sealed class LicensesCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private string Db => Path.Combine(_dir.FullName, "clearance.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private (int Exit, string Stdout, string Stderr) Run(params string[] args) => CliRunner.Run(Db, null, args);

    /// <summary>The individual licence for resist to Korea of the README (also drawn on by the shipments tests).</summary>
    internal static readonly string[] Resist =
    [
        "licenses", "add", "--number", "METI-2019-0001", "--jurisdiction", "JP", "--type", "individual", "--holder", "Example Chemical Co.",
        "--item", "JP:7(19)", "--destination", "South Korea", "--consignee", "Korea Semi Co.", "--valid-from", "2019-08-08", "--valid-to", "2020-08-07",
        "--quantity", "500 kg", "--actor", "officer",
    ];

    [Fact]
    public void AddAndSubmit_ReadOnlyDatabase_OneLineNamingTheCauseExit1()
    {
        Assert.Equal(0, Run("licenses", "list").Exit); // creates the database
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var shipment = _dir.Write("s.jsonl", """{"id":"s1","date":"2024-01-01","from":"JP","to":"KR","item":"JP:7(19)"}""" + "\n");
        if (!ScreenCommandTests.Chattr("+i", Db))
            return; // no chattr here (the tests run as root, so permissions would not stop writes)
        try
        {
            foreach (var result in new[] { Run(Resist), Run("shipments", "submit", "--input", shipment) })
            {
                Assert.Equal((1, ""), (result.Exit, result.Stdout));
                Assert.Equal($"error: the database {Db} is read-only: this command needs to write to it (or to its directory); " +
                    "commands that only read (screen, lists status, lists diff) can use it as it is", result.Stderr.TrimEnd('\n'));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            ScreenCommandTests.Chattr("-i", Db);
        }
    }

    [Fact]
    public void Add_ThenShow_RecordWithBalanceAndHistory()
    {
        Assert.Equal(0, Run(Resist).Exit);

        var show = Run("licenses", "show", "METI-2019-0001", "-o", "json");

        Assert.Equal(0, show.Exit);
        using var json = JsonDocument.Parse(show.Stdout);
        var root = json.RootElement;
        Assert.Equal("KR", root.GetProperty("destinations")[0].GetString());
        Assert.Equal("2020-08-07", root.GetProperty("valid_to").GetString());
        Assert.Equal(500, root.GetProperty("balance").GetProperty("quantity_remaining").GetDecimal());
        Assert.Equal("granted", root.GetProperty("transitions")[0].GetProperty("state").GetString());
        Assert.Equal(0, root.GetProperty("drawdowns").GetArrayLength());
    }

    [Fact]
    public void Add_MisspeltType_OneLineWithTheNearestExit1()
    {
        var result = Run("licenses", "add", "--number", "X", "--jurisdiction", "JP", "--type", "generl-bulk", "--holder", "H", "--valid-from", "2019-01-01");

        Assert.Equal(1, result.Exit);
        Assert.StartsWith("error: field 'type': 'generl-bulk' is not a licence type of JP: did you mean 'general-bulk'?", result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Import_BadLineAmongGood_ReportsItAddsTheRestExit2()
    {
        var file = _dir.Write("licenses.jsonl", """
            {"number":"KR-1","jurisdiction":"KR","type":"bulk","holder":"K Co.","destinatons":["JP"],"valid_from":"2020-01-01"}
            {"number":"KR-2","jurisdiction":"KR","type":"bulk","holder":"K Co.","destinations":["Japan"],"valid_from":"2020-01-01","valid_to":"2020-12-31","value":{"amount":1000000,"currency":"KRW"}}
            """);

        var result = Run("licenses", "import", "--input", file);

        Assert.Equal(2, result.Exit);
        Assert.Contains("line 1: unknown field 'destinatons': did you mean 'destinations'?", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("1 licence(s) added, 0 unchanged, 1 line(s) with errors", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, Run("licenses", "show", "KR-1").Exit);
        Assert.Equal(0, Run("licenses", "show", "KR-2", "-o", "json").Exit);
    }

    [Fact]
    public void List_ExpiringWithin_OnlyThoseEndingInTheWindow()
    {
        Assert.Equal(0, Run(Resist).Exit);
        Assert.Equal(0, Run("licenses", "add", "--number", "OPEN", "--jurisdiction", "JP", "--type", "general-bulk", "--holder", "H", "--valid-from", "2019-01-01").Exit);

        var expiring = Run("licenses", "list", "--expiring-within", "90d", "--date", "2020-06-01", "-o", "json");
        var later = Run("licenses", "list", "--expiring-within", "30d", "--date", "2020-06-01", "-o", "json");

        Assert.Equal(["METI-2019-0001"], expiring.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("number").GetString()));
        Assert.Equal("", later.Stdout);
    }

    [Fact]
    public void SuspendThenRevoke_RecordedAndRevocationFinal()
    {
        Assert.Equal(0, Run(Resist).Exit);

        Assert.Equal(0, Run("licenses", "suspend", "METI-2019-0001", "--reason", "under review", "--date", "2019-10-01").Exit);
        Assert.Equal(0, Run("licenses", "revoke", "METI-2019-0001", "--reason", "revoked by METI", "--date", "2019-11-01").Exit);
        var again = Run("licenses", "grant", "METI-2019-0001", "--reason", "try");

        Assert.Equal(1, again.Exit);
        Assert.Contains("revocation is final", again.Stderr, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(Run("licenses", "show", "METI-2019-0001", "-o", "json").Stdout);
        Assert.Equal(["granted", "suspended", "revoked"], json.RootElement.GetProperty("transitions").EnumerateArray().Select(t => t.GetProperty("state").GetString()));
    }

    [Fact]
    public void ListAndShow_Terminal80Columns_FitAndReadable()
    {
        Assert.Equal(0, Run(Resist).Exit);

        var list = CliRunner.Terminal(Db, 80, "licenses", "list", "--date", "2020-01-01");
        var show = CliRunner.Terminal(Db, 80, "licenses", "show", "METI-2019-0001");

        Assert.Equal((0, 0), (list.Exit, show.Exit));
        Assert.Contains("500 kg", list.Text, StringComparison.Ordinal);
        Assert.Contains("(last day)", show.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void AuditVerify_AfterChanges_IntactThenTamperedExit1()
    {
        Assert.Equal(0, Run(Resist).Exit);
        Assert.Equal(0, Run("licenses", "suspend", "METI-2019-0001", "--reason", "under review").Exit);
        var intact = Run("audit", "verify");
        Assert.Equal(0, intact.Exit);
        Assert.StartsWith("audit trail intact: 2 record(s), head ", intact.Stdout, StringComparison.Ordinal);
        var export = Run("audit", "export");
        Assert.Equal(["license.add", "license.suspended"], export.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("action").GetString()));

        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Db};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE audit SET actor = 'someone else' WHERE sequence = 1";
            command.ExecuteNonQuery();
        }

        var broken = Run("audit", "verify");
        Assert.Equal(1, broken.Exit);
        Assert.Equal("error: audit trail broken at record 1: record 1 altered: its content does not match its hash\n", broken.Stderr);
    }
}
