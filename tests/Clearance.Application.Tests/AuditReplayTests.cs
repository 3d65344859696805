using System.Text.Json.Nodes;
using Clearance.Content;
using Clearance.Evaluation;
using Clearance.Model;
using Clearance.Store;
using Clearance.Store.Tests;

namespace Clearance.Application.Tests;

/// <summary>
/// <c>audit replay</c>: a recorded determination evaluated again with the content and list versions its record names,
/// through the same workflow <c>shipments submit</c> runs, with lists imported from files, on both providers.
/// </summary>
public sealed class AuditReplayTests : IDisposable
{
    private readonly TestDatabases _databases = new();
    private TestDatabase? _database;

    /// <summary>The folder of the test's files (and of its SQLite database).</summary>
    private TempDirectory Files => _databases.Directory;

    /// <summary>The database's location: a SQLite file or a PostgreSQL connection string.</summary>
    private string Db => _database!.Location;

    public void Dispose() => _databases.Dispose();

    /// <summary>Creates the test's database on <paramref name="provider"/>.</summary>
    private void On(string provider) => _database = _databases.Create(provider);

    /// <summary>A company list of two parties; without <paramref name="withExample"/> the first is gone (a newer version).</summary>
    private void ImportWatchList(bool withExample)
    {
        var rows = withExample ? "W-1,Example Trading Co.\nW-2,Northwind Precision Ltd\n" : "W-2,Northwind Precision Ltd\n";
        var file = Files.Write(withExample ? "watch-1.csv" : "watch-2.csv", "id,name\n" + rows);
        ListImport.Run(ListStore.Open(Db), "csv", [file], "watch", allowShrink: true);
    }

    /// <summary>Submits <paramref name="line"/> as <c>shipments submit</c> does, evaluated with <paramref name="content"/> (the built-in content by default).</summary>
    private SubmittedLine Submit(ShipmentText line, ContentSet? content = null)
    {
        var service = new CheckService(new Evaluator(content ?? ContentLoader.LoadBuiltIn()), EndUserScreeningFactory.Open(Db, TextWriter.Null));
        return new ShipmentWorkflow(service, ShipmentStore.Open(Db), "clearance").Submit(line.Validate(1));
    }

    private static ShipmentText Resist(string id) =>
        new(new ShipmentId(id, false), "2019-07-10", "JP", "KR", ["JP:7(19)"], "civil", Consignee: "Korea Semi Co.", QuantityGiven: true, QuantityAmount: "200", QuantityUnit: "kg", Exporter: "Example Chemical Co.");

    private static ShipmentText ToExampleTrading(string id) =>
        new(new ShipmentId(id, false), "2024-01-01", "JP", "US", ["JP:16"], "civil", Consignee: "Example Trading Co.", Exporter: "Example Chemical Co.");

    private ReplayResult Replay(long sequence) => AuditReplay.Open(Db).Replay(sequence);

    private long SequenceOf(string subject) => ShipmentStore.Open(Db).Audit.Read().Last(r => r.Subject == subject && r.Action == "shipment.submit").Sequence;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Replay_RecordedSubmit_SameAnswer(string provider)
    {
        On(provider);
        ImportWatchList(withExample: true);
        Submit(Resist("SO-1/1"));
        var matched = Submit(ToExampleTrading("SO-2/1"));

        var resist = Replay(SequenceOf("SO-1/1"));
        var screened = Replay(SequenceOf("SO-2/1"));

        Assert.Equal(ShipmentStatus.Held, matched.Record!.Status); // held for the consignee's match on the company list
        Assert.True(resist.Same, string.Join("; ", resist.Differences));
        Assert.True(screened.Same, string.Join("; ", screened.Differences));
        Assert.True(resist.Intact && screened.Intact);
        Assert.Equal("watch:1", screened.Record.ListVersions);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Replay_RecordedUnderOtherContent_UsesTheRecordedVersionAndAgrees(string provider)
    {
        On(provider);
        // Content as a user edits it: the built-in files with Japan's individual licence reviewed in 60 days, not 90.
        var edited = Path.Combine(Files.FullName, "rules");
        Directory.CreateDirectory(edited);
        foreach (var (name, text) in ContentLoader.BuiltInFiles())
        {
            File.WriteAllText(Path.Combine(edited, name), name == "jp.yaml" ? text.Replace("    days: 90\n", "    days: 60\n", StringComparison.Ordinal) : text);
        }

        var content = ContentLoader.LoadDirectory(edited);
        var recorded = Submit(Resist("SO-1/1"), content);

        var replay = Replay(SequenceOf("SO-1/1"));
        var builtIn = Submit(Resist("SO-1/2"));

        Assert.Equal(60, JsonNode.Parse(recorded.Record!.Determination.Text)!["review_days"]!.GetValue<int>());
        Assert.Equal(90, JsonNode.Parse(builtIn.Record!.Determination.Text)!["review_days"]!.GetValue<int>()); // today's content answers otherwise
        Assert.NotEqual(ContentLoader.LoadBuiltIn().Version, content.Version);
        Assert.Equal(content.Version, replay.Record.ContentVersion);
        Assert.True(replay.Same, string.Join("; ", replay.Differences));
        Assert.True(ShipmentStore.Open(Db).Content.IsKept(content.Version));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Replay_AfterListImport_UsesTheRecordedListVersion(string provider)
    {
        On(provider);
        ImportWatchList(withExample: true);
        var held = Submit(ToExampleTrading("SO-2/1"));
        ImportWatchList(withExample: false); // version 2: Example Trading Co. is no longer listed

        var replay = Replay(SequenceOf("SO-2/1"));
        var now = Submit(ToExampleTrading("SO-2/2"));

        Assert.Equal(ShipmentStatus.Held, held.Record!.Status);
        Assert.Equal(ShipmentStatus.Released, now.Record!.Status); // today's lists no longer hold it
        Assert.Equal("watch:1", replay.Record.ListVersions);
        Assert.True(replay.Same, string.Join("; ", replay.Differences));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Replay_OutputsEdited_DifferentNamingTheField_RecordNotIntact(string provider)
    {
        On(provider);
        Submit(Resist("SO-1/1"));
        var sequence = SequenceOf("SO-1/1");
        using (var connection = _database!.CreateProvider().Open())
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"UPDATE audit SET outputs = replace(replace(outputs, '\"review_days\":90', '\"review_days\":30'), '\"status\":\"held\"', '\"status\":\"released\"') WHERE sequence = {sequence}";
            Assert.Equal(1, command.ExecuteNonQuery());
            // The determination's shared part is stored once, apart from the record (migration 9): edited there.
            command.CommandText = $"UPDATE determinations SET body = replace(body, '\"review_days\":90', '\"review_days\":30') WHERE sha256 = (SELECT shared_sha256 FROM audit WHERE sequence = {sequence})";
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        var replay = Replay(sequence);

        Assert.False(replay.Same);
        Assert.False(replay.Intact);
        Assert.Equal(["determination.review_days", "reasons.license-required.review_days", "status"], replay.Differences.Select(d => d.Field));
        Assert.Equal(new ReplayDifference("status", "\"released\"", "\"held\""), replay.Differences[^1]);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Replay_UnknownSequence_ClearError(string provider)
    {
        On(provider);
        Submit(Resist("SO-1/1"));

        var e = Assert.Throws<AuditReplayException>(() => Replay(99));

        Assert.Equal("no audit record 99 (the trail has 1)", e.Message);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Replay_RepeatedSubmit_HoldsNoDetermination_ClearError(string provider)
    {
        On(provider);
        Submit(Resist("SO-1/1"));
        Submit(Resist("SO-1/1"));

        var e = Assert.Throws<AuditReplayException>(() => Replay(2));

        Assert.Equal("record 2 (shipment.submit SO-1/1) holds no determination to replay (a repeated submit: it returned the line stored before; replay the record of the first submit)", e.Message);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Replay_ContentVersionNotKept_ClearError(string provider)
    {
        On(provider);
        // Content built in code has no files to keep (as a determination recorded before versions were kept).
        var unkept = ContentSet.Create("sha256:000000000000", ContentLoader.LoadBuiltIn().Jurisdictions);
        var submitted = Submit(Resist("SO-1/1"), unkept);

        var e = Assert.Throws<AuditReplayException>(() => Replay(1));

        Assert.Equal(ShipmentStatus.Held, submitted.Record!.Status);
        Assert.Equal("record 1 (shipment.submit SO-1/1): content version sha256:000000000000 is not kept in this database: only determinations recorded since content versions are kept can be replayed", e.Message);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Workflow_ContentVersionStoredOnceAVersion_BeforeAnyLine(string provider)
    {
        On(provider);
        var service = new CheckService(new Evaluator(ContentLoader.LoadBuiltIn()), EndUserScreening.None);

        var first = new ShipmentWorkflow(service, ShipmentStore.Open(Db), "clearance");
        var second = new ShipmentWorkflow(service, ShipmentStore.Open(Db), "clearance");

        Assert.Equal((true, false), (first.ContentVersionStored, second.ContentVersionStored));
        Assert.Equal(ContentLoader.BuiltInFiles().Select(f => new ContentFile(f.Name, f.Text)), ShipmentStore.Open(Db).Content.Find(ContentLoader.LoadBuiltIn().Version));
        Assert.Empty(ShipmentStore.Open(Db).Audit.Read()); // kept before any determination is recorded: none is yet
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Replay_PossibleMatchClearedByTheLine_DecisionRecordedWithTheLine_Same(string provider)
    {
        On(provider);
        ListImport.Run(ListStore.Open(Db), "meti-eul", [SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv")], null, allowShrink: false);
        var line = new ShipmentText(new ShipmentId("SO-4/1", false), "2024-01-01", "JP", "CN", ["JP:16"], "civil", "Harbin Institute of Technology Weihai",
            EndUserDecision: "cleared", Exporter: "Example Chemical Co.");

        var submitted = Submit(line);
        var replay = Replay(SequenceOf("SO-4/1"));

        // Without the decision the possible match would make the replay indeterminate.
        Assert.Equal("no-license-required", JsonNode.Parse(submitted.Record!.Determination.Text)!["verdict"]!.GetValue<string>());
        Assert.Equal("cleared", JsonNode.Parse(replay.Record.Inputs)!["end_user_decision"]!.GetValue<string>());
        Assert.True(replay.Same, string.Join("; ", replay.Differences));
    }
}
