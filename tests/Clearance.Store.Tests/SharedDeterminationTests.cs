using Clearance.Licensing;
using Clearance.Model;
using Dapper;
using NodaTime;

namespace Clearance.Store.Tests;

// Migration 9: the shared part of a line's determination stored once, the line and its audit record naming it; every
// reader still gets the whole text, and the audit chain still covers it.
public sealed class SharedDeterminationTests : IDisposable
{
    private static readonly Func<string, string> Upper = s => s.Trim().ToUpperInvariant();
    private readonly TestDatabases _databases = new();

    public void Dispose() => _databases.Dispose();

    private static string Determination(string id, string date, string verdict = "not-required") =>
        $"{{\"id\":\"{id}\",\"as_of\":\"{date}\",\"verdict\":\"{verdict}\",\"explanation\":\"No licence: the item is not listed.\",\"content_version\":\"sha256:test\"}}";

    /// <summary>A line that needs no licence (released), its determination the check's form.</summary>
    private static ShipmentSubmission Line(string id, string date = "2019-08-20", string? determination = null) => new(
        id, $"{{\"id\":\"{id}\"}}", new DeterminationText(determination ?? Determination(id, date)), [], false, null, null, null, "sha256:test");

    private static long Count(IDbProvider provider, string sql)
    {
        using var connection = provider.Open();
        return connection.ExecuteScalar<long>(sql);
    }

    private static void Execute(IDbProvider provider, string sql)
    {
        using var connection = provider.Open();
        connection.Execute(sql);
    }

    [Theory]
    [InlineData("{\"id\":\"o-1/1\",\"as_of\":\"2019-08-20\",\"verdict\":\"x\"}", "{\"id\":\"o-1/1\",\"as_of\":\"2019-08-20\",")]
    [InlineData("{\"id\":\"o-\\\"1\\\\\",\"as_of\":\"2019-08-20\",\"verdict\":\"x\"}", "{\"id\":\"o-\\\"1\\\\\",\"as_of\":\"2019-08-20\",")]
    [InlineData("{\"id\":\"o-1/1\",\"verdict\":\"x\"}", "{\"id\":\"o-1/1\",")]
    [InlineData("{\"id\":\"o-1/1\"}", "")]
    [InlineData("{\"verdict\":\"x\",\"id\":\"o-1/1\"}", "")]
    [InlineData("{\"id\":7,\"as_of\":\"2019-08-20\"}", "")]
    [InlineData("not json", "")]
    public void SharedStart_CheckResultAndOtherTexts_OwnPartIsTheLeadingIdAndDateOnly(string determination, string own) =>
        Assert.Equal(own, determination[..SharedDetermination.SharedStart(determination)]);

    [Fact]
    public void Split_LinesSharingAPart_OnePartInstanceTextAndWrittenJsonWhole()
    {
        var store = new ShipmentStore(_databases.Create("sqlite").CreateProvider());
        var first = store.Split(Determination("o-1/1", "2019-08-20"));
        var second = store.Split(Determination("o-1/2", "2019-08-21").ToCharArray());
        var other = store.Split(Determination("o-1/3", "2019-08-20", "license-required"));
        var submission = new ShipmentSubmission("o-1/2", "{\"id\":\"o-1/2\"}", second, [], false, null, null, null, "sha256:test");
        using var written = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(written))
            second.WriteTo(writer);

        Assert.Equal(("{\"id\":\"o-1/1\",\"as_of\":\"2019-08-20\",", "{\"id\":\"o-1/2\",\"as_of\":\"2019-08-21\","), (first.Own, second.Own));
        Assert.Same(first.Shared, second.Shared);
        Assert.NotEqual(first.Shared, other.Shared);
        Assert.Equal(Determination("o-1/2", "2019-08-21"), second.Text);
        Assert.Equal(Determination("o-1/2", "2019-08-21"), System.Text.Encoding.UTF8.GetString(written.ToArray()));
        Assert.Same(second, submission.Determination);
        Assert.Equal(Line("o-1/2", "2019-08-21"), submission); // the same line with the text whole
        Assert.Equal(new DeterminationText(Determination("o-1/2", "2019-08-21")), second);
        Assert.NotEqual(new DeterminationText(Determination("o-1/2", "2019-08-20")), second);
        Assert.False(new DeterminationText(second.Text).IsCut);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Submit_LinesSharingADetermination_StoredOnce_LineAuditAndReplayReadItWhole(string provider)
    {
        var dbProvider = _databases.Create(provider).CreateProvider();
        var store = new ShipmentStore(dbProvider);

        var outcomes = store.Submit([Line("o-1/1"), Line("o-1/2", "2019-08-21"), Line("o-1/3")], "clearance", Upper);
        store.Submit(Line("o-2/1"), "clearance", Upper); // a later batch: the part is there already
        store.Submit(Line("o-3/1", determination: "{\"verdict\":\"not-required\"}"), "clearance", Upper); // not the check's form: whole, still by key

        Assert.All(outcomes, o => Assert.Equal(ShipmentStatus.Released, o.Result!.Record.Status));
        Assert.Equal(2, Count(dbProvider, "SELECT COUNT(*) FROM determinations"));
        Assert.Equal(Determination("o-1/2", "2019-08-21"), store.Find("o-1/2")!.Determination.Text);
        Assert.Equal([Determination("o-1/1", "2019-08-20"), Determination("o-1/2", "2019-08-21"), Determination("o-1/3", "2019-08-20"),
            Determination("o-2/1", "2019-08-20"), "{\"verdict\":\"not-required\"}"], store.List().Select(l => l.Determination.Text));
        var submitted = store.Audit.Read().Where(r => r.Action == "shipment.submit").ToList();
        Assert.Equal($"{{\"status\":\"released\",\"license\":null,\"reasons\":[],\"determination\":{Determination("o-1/2", "2019-08-21")}}}", submitted[1].Outputs);
        Assert.Equal(submitted[1], store.Audit.Find(submitted[1].Sequence));
        Assert.Equal(submitted[^1], store.Audit.Newest(new AuditFilter(null, null, null, null), 0, 1).Records.Single());
        Assert.Equal(Line("o-1/3").Determination, store.Submit(Line("o-1/3"), "clearance", Upper).Record.Determination); // a repeat reads it back
        Assert.Null(store.Audit.Verify());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void AuditVerify_SharedDeterminationEditedOrDeleted_FirstRecordNamingItCaught(string provider)
    {
        var dbProvider = _databases.Create(provider).CreateProvider();
        var store = new ShipmentStore(dbProvider);
        store.Submit(Line("o-1/1", determination: "{\"verdict\":\"other\"}"), "clearance", Upper);
        store.Submit([Line("o-2/1"), Line("o-2/2")], "clearance", Upper);
        Assert.Null(store.Audit.Verify());

        Execute(dbProvider, "UPDATE determinations SET body = replace(body, 'not-required', 'required') WHERE body LIKE '%not-required%'");
        var edited = store.Audit.Verify();
        Execute(dbProvider, "UPDATE determinations SET body = replace(body, 'required', 'not-required') WHERE body LIKE '%\"required%'");
        Assert.Null(store.Audit.Verify()); // the edit undone: the chain holds again
        Execute(dbProvider, "DELETE FROM determinations WHERE body LIKE '%not-required%'");
        var deleted = store.Audit.Verify();

        Assert.Equal((2L, "record 2 altered: its content does not match its hash"), (edited!.Sequence, edited.Problem));
        Assert.Equal(2L, deleted!.Sequence);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Open_Version8DatabaseWithLines_UpgradedInPlace_OldLinesAndChainKept_NewLinesShareTheirPart(string provider)
    {
        var database = _databases.Create(provider);
        var store = new ShipmentStore(database.CreateProvider());
        store.Licenses.Add(new License(
            "L-1", "JP", "individual", "Example Co.", new LicenseScope(["JP:7(19)"], [CountryCode.Parse("KR")], [], []),
            new Period(new LocalDate(2019, 8, 8), new LocalDate(2020, 8, 8)), new LicenseLimit(500, "kg"), null, 0, LicenseState.Granted), "officer");
        store.Submit([Line("o-1/1"), Line("o-1/2")], "clearance", Upper);
        // Back to schema version 8, as a release before migration 9 left it: each determination whole in its line and in
        // its audit record, no determinations table, no key columns, the index on status.
        Execute(database.CreateProvider(), TestDatabase.UndoSharedDeterminations(provider) + "DELETE FROM schema_migrations WHERE version >= 9;");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var upgraded = new ShipmentStore(database.CreateProvider());
        upgraded.Submit([Line("o-2/1"), Line("o-2/2")], "clearance", Upper);

        Assert.Equal(database.CreateProvider().Migrations[^1].Version, Count(database.CreateProvider(), "SELECT MAX(version) FROM schema_migrations"));
        Assert.Equal([Determination("o-1/1", "2019-08-20"), Determination("o-1/2", "2019-08-20"), Determination("o-2/1", "2019-08-20"), Determination("o-2/2", "2019-08-20")],
            upgraded.List().Select(l => l.Determination.Text));
        Assert.Equal((2L, 2L), (Count(database.CreateProvider(), "SELECT COUNT(*) FROM shipments WHERE determination_sha256 IS NULL"),
            Count(database.CreateProvider(), "SELECT COUNT(*) FROM audit WHERE shared_sha256 IS NOT NULL")));
        Assert.Equal(1, Count(database.CreateProvider(), "SELECT COUNT(*) FROM determinations"));
        Assert.Equal(
            upgraded.Audit.Read().Where(r => r.Action == "shipment.submit").Select(r => r.Outputs.Replace("o-2/", "o-1/", StringComparison.Ordinal)).Skip(2),
            upgraded.Audit.Read().Where(r => r.Action == "shipment.submit").Select(r => r.Outputs).Take(2));
        Assert.Null(upgraded.Audit.Verify());
    }
}
