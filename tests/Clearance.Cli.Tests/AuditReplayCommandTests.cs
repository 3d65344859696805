using System.Text.Json;

namespace Clearance.Cli.Tests;

/// <summary><c>clearance audit replay SEQUENCE</c>: a recorded submit evaluated again, as a script and as a person sees it.</summary>
public sealed class AuditReplayCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private string Db => Path.Combine(_dir.FullName, "clearance.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private (int Exit, string Stdout, string Stderr) Run(params string[] args) => CliRunner.Run(Db, null, args);

    private void SubmitResistLine()
    {
        var book = _dir.Write("book.jsonl", """
            {"id":"SO-1/1","exporter":"Example Chemical Co.","date":"2019-07-10","from":"JP","to":"KR","item":"JP:7(19)","end_use":"civil","quantity":{"amount":200,"unit":"kg"}}

            """);
        Assert.Equal(0, Run("shipments", "submit", "--input", book).Exit);
    }

    [Fact]
    public void Replay_RecordedSubmit_Exit0Same_TableAt80Columns()
    {
        SubmitResistLine();

        var json = Run("audit", "replay", "1");
        var terminal = CliRunner.Terminal(Db, 80, "audit", "replay", "1");

        Assert.Equal(0, json.Exit);
        var result = JsonDocument.Parse(json.Stdout).RootElement;
        Assert.Equal(("shipment.submit", "SO-1/1", true, true), (result.GetProperty("action").GetString(), result.GetProperty("subject").GetString(),
            result.GetProperty("same").GetBoolean(), result.GetProperty("intact").GetBoolean()));
        Assert.StartsWith("sha256:", result.GetProperty("content_version").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, terminal.Exit);
        Assert.Contains("1 shipment.submit SO-1/1", terminal.Text, StringComparison.Ordinal);
        Assert.Contains("same", terminal.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_UnknownOrBadSequenceOrRecordWithoutDetermination_Exit1WithOneLine()
    {
        SubmitResistLine();
        Assert.Equal(0, Run("licenses", "add", "--number", "L-1", "--jurisdiction", "JP", "--type", "individual", "--holder", "Example Chemical Co.", "--valid-from", "2019-08-08").Exit);

        var unknown = Run("audit", "replay", "99");
        var licence = Run("audit", "replay", "2");

        Assert.Equal((1, "", "error: no audit record 99 (the trail has 2)\n"), unknown);
        Assert.Equal((1, "", "error: record 2 (license.add L-1) holds no determination to replay\n"), licence);
        Assert.Equal((1, "", "error: SEQUENCE: 'first' is not an audit record's sequence number (1, 2, 3...; audit export shows them)\n"), Run("audit", "replay", "first"));
    }
}
