using System.Text.Json.Nodes;
using Clearance.Content;
using Clearance.Evaluation;
using Clearance.Licensing;
using Clearance.Model;
using Clearance.Store;
using Dapper;
using NodaTime;

namespace Clearance.Application.Tests;

/// <summary>Screening decisions and <c>shipments recheck</c> on both providers, with the real OFAC SDN and METI EUL files.</summary>
public sealed class RecheckTests : IDisposable
{
    private static readonly Evaluator Evaluator = new(ContentLoader.LoadBuiltIn());
    private static readonly string Eul = SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv");
    private readonly TestDatabases _databases = new();

    public void Dispose() => _databases.Dispose();

    private static string Sdn(string date) => SharedListFiles.Path("ofac_sdn", $"sdn_{date}.csv");

    /// <summary>A database with the METI End User List and the SDN list of <paramref name="sdn"/> imported.</summary>
    private string Database(string provider, string sdn, string name = "clearance.db")
    {
        var location = _databases.Create(provider, name).Location;
        Import(location, "meti-eul", Eul);
        Import(location, "ofac-csv", Sdn(sdn));
        return location;
    }

    private static void Import(string location, string format, string path)
    {
        var lists = ListStore.Open(location);
        ListImport.Run(lists, format, [path], null, allowShrink: false);
        ListImport.RefreshScreeningIndex(lists, TextWriter.Null, TextWriter.Null);
    }

    private static CheckService Service(string location) => new(Evaluator, EndUserScreeningFactory.Open(location, TextWriter.Null));

    private static void Submit(string location, params ShipmentText[] lines)
    {
        var workflow = new ShipmentWorkflow(Service(location), ShipmentStore.Open(location), "clearance");
        foreach (var line in lines)
            Assert.Null(workflow.Submit(line.Validate(1)).Error);
    }

    private static RecheckSummary Recheck(string location, bool full = false) =>
        new Recheck(ShipmentStore.Open(location), Service(location), "clearance").Run(full);

    /// <summary>Civil goods (JP:16) to the UAE in February 2024: no licence; held only by a screening hit.</summary>
    private static ShipmentText ToDubai(string id, string consignee, string endUser = "Example Trading FZE") =>
        new(new ShipmentId(id, false), "2024-02-01", "JP", "AE", ["JP:16"], "civil", endUser, Exporter: "Example Chemical Co.", Consignee: consignee);

    private static ShipmentRecord Line(string location, string id) => ShipmentStore.Open(location).Find(id)!;

    private static JsonArray Reasons(ShipmentRecord record) => JsonNode.Parse(record.Reasons)!.AsArray();

    private static string[] Codes(ShipmentRecord record) => [.. Reasons(record).Select(r => r!["code"]!.GetValue<string>())];

    private static ShipmentRecord AssertLine(string db, string id, string status, params string[] codes)
    {
        var line = Line(db, id);
        Assert.Equal(status, line.Status);
        Assert.Equal(codes, Codes(line));
        return line;
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Decide_FalsePositive_ClearsTheLine_AlertReturnsWhenANewerListChangesTheEntry(string provider)
    {
        // AERO EXPRESS INTERCONTINENTAL (SDN 12191) changes between the snapshots of 31 Jan and 26 Apr 2024.
        var db = Database(provider, "2024-01-31");
        Submit(db, ToDubai("SO-9/1", "Aero Express Intercontinental"), ToDubai("SO-9/2", "Gulf Packaging LLC"));
        AssertLine(db, "SO-9/1", ShipmentStatus.Held, "screening-match");

        var decision = ShipmentStore.Open(db).Decisions.Decide("Aero Express Intercontinental", ShipmentWorkflow.Normalize("Aero Express Intercontinental"), "ofac-sdn", "12191",
            ScreeningDecisionKind.FalsePositive, "Aero Express Intercontinental FZE of Dubai, not the Mexican airline", "analyst");
        var cleared = Recheck(db);

        Assert.Equal("AERO EXPRESS INTERCONTINENTAL S.A. DE C.V.", decision.EntryName);
        Assert.Equal(["SO-9/1"], cleared.Changes.Select(c => c.Id));
        var line = Line(db, "SO-9/1");
        AssertLine(db, "SO-9/1", ShipmentStatus.Released, "screening-cleared");
        Assert.Equal(("analyst", "Aero Express Intercontinental FZE of Dubai, not the Mexican airline"), (Reasons(line)[0]!["decided_by"]!.GetValue<string>(), Reasons(line)[0]!["decision_reason"]!.GetValue<string>()));
        Assert.Empty(Recheck(db).Changes); // nothing new: nothing changes

        Import(db, "ofac-csv", Sdn("2024-04-26"));
        var lapsed = Recheck(db);

        Assert.Equal(["SO-9/1"], lapsed.Changes.Select(c => c.Id));
        Assert.Equal(866 + 41, lapsed.EntriesScreened); // only the entries added or changed since the lines were screened
        Assert.Equal(3, lapsed.PartiesScreened);        // two lines, one end user and two consignees
        Assert.Equal(1, lapsed.LinesCheckedAgain);      // only the line whose hit was on a changed entry
        line = AssertLine(db, "SO-9/1", ShipmentStatus.Held, "screening-match");
        Assert.Equal("false-positive", Reasons(line)[0]!["lapsed_decision"]!["decision"]!.GetValue<string>());
        Assert.Equal(["submit", "recheck", "recheck"], line.History.Select(h => h.Action));
        Assert.Equal(ShipmentStatus.Released, Line(db, "SO-9/2").Status);
        Assert.Equal(["12191"], WorkflowReports.Open(db).Alerts().Select(a => a.Entity)); // awaiting review again
        var store = ShipmentStore.Open(db);
        Assert.Contains(store.Audit.Read(), r => r.Action == "screening.decide" && r.Subject == "ofac-sdn:12191" && r.ListVersions.Contains("ofac-sdn:1", StringComparison.Ordinal));
        Assert.Null(store.Audit.Verify());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Decide_TrueMatch_HoldsEveryLineOfTheParty_AtRecheckAndAtSubmit(string provider)
    {
        var db = Database(provider, "2024-04-26");
        Submit(db, ToDubai("SO-1/1", "Gulf Packaging LLC", "Desert Falcon Trading"), ToDubai("SO-1/2", "Desert Falcon Trading", "Example Trading FZE"));
        Assert.All(new[] { "SO-1/1", "SO-1/2" }, id => Assert.Equal(ShipmentStatus.Released, Line(db, id).Status));

        ShipmentStore.Open(db).Decisions.Decide("DESERT FALCON trading", ShipmentWorkflow.Normalize("DESERT FALCON trading"), "ofac-sdn", "13109",
            ScreeningDecisionKind.TrueMatch, "front company of the listed airline (investigation 2024-17)", "analyst");
        var summary = Recheck(db);
        Submit(db, ToDubai("SO-1/3", "Desert Falcon Trading"));

        Assert.Equal(["SO-1/1", "SO-1/2"], summary.Changes.Select(c => c.Id));
        foreach (var id in new[] { "SO-1/1", "SO-1/2", "SO-1/3" })
        {
            var line = Line(db, id);
            Assert.Equal(ShipmentStatus.Held, line.Status);
            var reason = Assert.Single(Reasons(line))!;
            Assert.Equal(("screening-match", "true-match", "13109"), (reason["code"]!.GetValue<string>(), reason["decision"]!.GetValue<string>(), reason["entity"]!.GetValue<string>()));
        }

        Assert.Empty(WorkflowReports.Open(db).Alerts()); // decided: nothing awaits review
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Recheck_ListImport_CatchesANewlyListedParty_ScreeningOnlyTheAddedEntries(string provider)
    {
        // WUHAN GLOBAL SENSOR TECHNOLOGY (SDN 46633) is added on 3 May 2024 (305 entries added, none changed).
        var db = Database(provider, "2024-04-26");
        Submit(db, ToDubai("SO-2/1", "Wuhan Global Sensor Technology Co., Ltd."), ToDubai("SO-2/2", "Gulf Packaging LLC"));
        Assert.Equal(ShipmentStatus.Released, Line(db, "SO-2/1").Status);

        Import(db, "ofac-csv", Sdn("2024-05-03"));
        var summary = Recheck(db);

        Assert.Equal(["SO-2/1"], summary.Changes.Select(c => c.Id));
        Assert.Equal((2, 305, 3), (summary.Lines, summary.EntriesScreened, summary.PartiesScreened));
        Assert.Equal(1, summary.LinesCheckedAgain);
        var line = Line(db, "SO-2/1");
        Assert.Equal(ShipmentStatus.Held, line.Status);
        Assert.Contains(Reasons(line), r => r!["entity"]?.GetValue<string>() == "46633");
        Assert.Equal(summary.Changes.Select(c => c.Status), [ShipmentStatus.Held]);
        Assert.Equal(ShipmentStatus.Released, summary.Changes[0].OldStatus);
        Assert.Equal((0, 0), (Recheck(db).Changes.Count, Recheck(db).EntriesScreened)); // screened to version 2 now
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Recheck_LinesWithTheSameRequest_EachWrittenAsTheLineAlone(string provider)
    {
        // One line copied under three more ids straight in the database (the bench's book repeats its lines so): a run
        // checks each distinct request once, and every copy must still get what the line alone gets, with its own
        // history event and audit record.
        var alone = Database(provider, "2024-04-26", "alone.db");
        var copied = Database(provider, "2024-04-26", "copied.db");
        foreach (var db in new[] { alone, copied })
            Submit(db, ToDubai("SO-12/1", "Wuhan Global Sensor Technology Co., Ltd."), ToDubai("SO-12/2", "Gulf Packaging LLC"));
        using (var connection = new TestDatabaseConnection(copied).Open())
        {
            foreach (var suffix in new[] { "-a", "-b", "-c" })
            {
                connection.Execute(
                    """
                    INSERT INTO shipments (id, status, license, reasons, determination, determination_sha256, request, demand, submitted_at, updated_at)
                    SELECT id || @suffix, status, license, reasons, determination, determination_sha256, request, demand, submitted_at, updated_at FROM shipments WHERE id = 'SO-12/1'
                    """, new { suffix });
            }
        }

        foreach (var db in new[] { alone, copied })
            Import(db, "ofac-csv", Sdn("2024-05-03"));
        var reference = Recheck(alone);
        var summary = Recheck(copied);

        string[] copies = ["SO-12/1", "SO-12/1-a", "SO-12/1-b", "SO-12/1-c"];
        Assert.Equal(["SO-12/1"], reference.Changes.Select(c => c.Id));
        Assert.Equal(copies, summary.Changes.Select(c => c.Id));
        Assert.Equal((1, 4), (reference.LinesCheckedAgain, summary.LinesCheckedAgain));
        var expected = Line(alone, "SO-12/1");
        var original = Line(copied, "SO-12/1");
        foreach (var id in copies)
        {
            var line = AssertLine(copied, id, ShipmentStatus.Held, "screening-match");
            Assert.Equal(expected.Reasons, line.Reasons);
            Assert.Equal(original.Determination.Text, line.Determination.Text);
            Assert.Equal(expected.History[^1].Reason, line.History[^1].Reason);
            Assert.Equal("recheck", line.History[^1].Action);
        }

        Assert.Equal(Line(alone, "SO-12/2").Determination.Text, Line(copied, "SO-12/2").Determination.Text);
        Assert.Null(ShipmentStore.Open(copied).Audit.Verify());
        Assert.Empty(Recheck(copied, full: true).Changes); // checking every copy alone agrees
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Recheck_ChangedLines_DeterminationStoredAsSubmitStoresIt_LineAndAuditRecordReadItWhole(string provider)
    {
        // Two lines of the same party held by an import: each new determination is stored as submit stores one (the
        // line's own part in its row and audit record, the shared part once, by the SHA-256 of its text), and every
        // reader gets it whole: the line, and the audit record, whose hash covers it whole.
        var db = Database(provider, "2024-04-26");
        Submit(db, ToDubai("SO-13/1", "Wuhan Global Sensor Technology Co., Ltd."), ToDubai("SO-13/2", "Wuhan Global Sensor Technology Co., Ltd."),
            ToDubai("SO-13/3", "Gulf Packaging LLC"));
        var submitted = Line(db, "SO-13/1").Determination.Text;
        Import(db, "ofac-csv", Sdn("2024-05-03"));

        var summary = Recheck(db);

        Assert.Equal(["SO-13/1", "SO-13/2"], summary.Changes.Select(c => c.Id));
        var records = ShipmentStore.Open(db).Audit.Read().Where(r => r.Action == "shipment.recheck").ToList();
        Assert.Equal(["SO-13/1", "SO-13/2"], records.Select(r => r.Subject));
        using var connection = new TestDatabaseConnection(db).Open();
        foreach (var (id, record) in new[] { "SO-13/1", "SO-13/2" }.Zip(records))
        {
            var line = Line(db, id);
            var stored = connection.QuerySingle<(string Own, string Key, string Body)>(
                "SELECT s.determination, s.determination_sha256, d.body FROM shipments s JOIN determinations d ON d.sha256 = s.determination_sha256 WHERE s.id = @id", new { id });
            Assert.NotEqual(submitted, line.Determination.Text); // a new determination, naming the new hit
            Assert.Contains("46633", line.Determination.Text, StringComparison.Ordinal);
            Assert.Equal(line.Determination.Text, stored.Own + stored.Body);
            Assert.StartsWith($"{{\"id\":\"{id}\",", stored.Own, StringComparison.Ordinal); // the own part: the id and date only
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(stored.Body))), stored.Key);
            Assert.EndsWith($",\"determination\":{line.Determination.Text}}}", record.Outputs, StringComparison.Ordinal);
            Assert.Equal(stored.Key, connection.QuerySingle<string>("SELECT shared_sha256 FROM audit WHERE sequence = @sequence", new { sequence = record.Sequence }));
        }

        Assert.Equal(1L, connection.QuerySingle<long>(
            "SELECT COUNT(DISTINCT determination_sha256) FROM shipments WHERE id IN ('SO-13/1', 'SO-13/2')")); // one shared part for both
        Assert.Null(ShipmentStore.Open(db).Audit.Verify());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Recheck_SamePartyBeforeAndAfterTheImport_OnlyTheLineScreenedBeforeItIsCheckedAgain(string provider)
    {
        // Both lines name WUHAN GLOBAL SENSOR TECHNOLOGY (SDN 46633, added on 3 May 2024); the second is submitted after
        // the import, so it was screened against the new entry already, and the third stays released: its parties are
        // nowhere near an added entry, so it is not even read.
        var db = Database(provider, "2024-04-26");
        Submit(db, ToDubai("SO-6/1", "Wuhan Global Sensor Technology Co., Ltd."), ToDubai("SO-6/3", "Gulf Packaging LLC"));
        Import(db, "ofac-csv", Sdn("2024-05-03"));
        Submit(db, ToDubai("SO-6/2", "Wuhan Global Sensor Technology Co., Ltd."));
        AssertLine(db, "SO-6/2", ShipmentStatus.Held, "screening-match");

        var summary = Recheck(db);

        Assert.Equal(["SO-6/1"], summary.Changes.Select(c => c.Id));
        Assert.Equal((3, 305, 1), (summary.Lines, summary.EntriesScreened, summary.LinesCheckedAgain));
        AssertLine(db, "SO-6/1", ShipmentStatus.Held, "screening-match");
        Assert.Equal(["submit"], Line(db, "SO-6/2").History.Select(h => h.Action));
        Assert.Equal(["submit"], Line(db, "SO-6/3").History.Select(h => h.Action));
        Assert.Equal(0, Recheck(db).LinesCheckedAgain); // every line screened as of version 2 now
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Recheck_ListImport_CatchesANewlyListedPurchaserAndIntermediateConsignee(string provider)
    {
        // The purchaser and the intermediate consignees are parties to the transaction (15 CFR 748.5(c)-(d)): a recheck
        // screens them again as it does the end user and the consignee (WUHAN GLOBAL SENSOR TECHNOLOGY, SDN 46633, added
        // on 3 May 2024). SO-10/3 names them nowhere near the added entry and is not changed.
        var db = Database(provider, "2024-04-26");
        Submit(db,
            ToDubai("SO-10/1", "Gulf Packaging LLC") with { Purchaser = "Wuhan Global Sensor Technology Co., Ltd." },
            ToDubai("SO-10/2", "Gulf Packaging LLC") with { IntermediateConsignees = ["Example Forwarding Singapore", "Wuhan Global Sensor Technology Co., Ltd."] },
            ToDubai("SO-10/3", "Gulf Packaging LLC") with { Purchaser = "Desert Falcon Trading", IntermediateConsignees = ["Example Forwarding Singapore"] });
        AssertLine(db, "SO-10/1", ShipmentStatus.Released);
        AssertLine(db, "SO-10/2", ShipmentStatus.Released);

        Import(db, "ofac-csv", Sdn("2024-05-03"));
        var summary = Recheck(db);

        Assert.Equal(["SO-10/1", "SO-10/2"], summary.Changes.Select(c => c.Id));
        Assert.Equal(2, summary.LinesCheckedAgain);
        Assert.Contains(Reasons(AssertLine(db, "SO-10/1", ShipmentStatus.Held, "screening-match")), r => r!["party"]!.GetValue<string>() == "purchaser" && r["entity"]!.GetValue<string>() == "46633");
        Assert.Contains(Reasons(AssertLine(db, "SO-10/2", ShipmentStatus.Held, "screening-match")), r => r!["party"]!.GetValue<string>() == "intermediate_consignee" && r["entity"]!.GetValue<string>() == "46633");
        AssertLine(db, "SO-10/3", ShipmentStatus.Released);
        Assert.Empty(Recheck(db, full: true).Changes); // the full recheck agrees
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Recheck_DatabaseAtMigration11_UpgradedInPlaceWithThePartyColumns(string provider)
    {
        var db = Database(provider, "2024-04-26");
        Submit(db, ToDubai("SO-11/1", "Gulf Packaging LLC"));
        using (var connection = new TestDatabaseConnection(db).Open())
        {
            // Back to schema version 11, as the release before migration 12 left it (13 undone first).
            connection.Execute(TestDatabase.UndoTransactionParties + "DELETE FROM schema_migrations WHERE version >= 12");
        }

        Submit(db, ToDubai("SO-11/2", "Gulf Packaging LLC") with { IntermediateConsignees = ["Wuhan Global Sensor Technology Co., Ltd."] }); // opening the store applies migration 12
        using (var connection = new TestDatabaseConnection(db).Open())
        {
            var facts = connection.Query<(string, string?, string?)>("SELECT shipment_id, purchaser, intermediate_consignees FROM shipment_facts ORDER BY shipment_id").ToList();
            Assert.Equal([("SO-11/1", null, null), ("SO-11/2", null, "[\"Wuhan Global Sensor Technology Co., Ltd.\"]")], facts);
        }

        Import(db, "ofac-csv", Sdn("2024-05-03"));

        Assert.Equal(["SO-11/2"], Recheck(db).Changes.Select(c => c.Id));
        AssertLine(db, "SO-11/2", ShipmentStatus.Held, "screening-match");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Recheck_DatabaseAtMigration12_UpgradedInPlace_KeptLinesBuiltWholeByTheNextRecheck(string provider)
    {
        var db = Database(provider, "2024-04-26");
        Submit(db, ToDubai("SO-12/1", "Gulf Packaging LLC"), ToDubai("SO-12/2", "Wuhan Global Sensor Technology Co., Ltd."));
        Recheck(db);
        using (var connection = new TestDatabaseConnection(db).Open())
        {
            // Back to schema version 12, as the release before migration 13 left it (its kept parties and mark in place).
            connection.Execute(TestDatabase.UndoLineParties + "DELETE FROM schema_migrations WHERE version >= 13");
        }

        Submit(db, ToDubai("SO-12/3", "Wuhan Global Sensor Technology Co., Ltd.")); // opening the store applies migration 13
        using (var connection = new TestDatabaseConnection(db).Open())
        {
            Assert.Equal(0, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM recheck_parties_mark")); // the next recheck builds the sets whole
            Assert.Equal(0, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM recheck_line_parties"));
        }

        Import(db, "ofac-csv", Sdn("2024-05-03"));

        Assert.Equal(["SO-12/2", "SO-12/3"], Recheck(db).Changes.Select(c => c.Id));
        AssertLine(db, "SO-12/3", ShipmentStatus.Held, "screening-match");
        AssertKeptSuperset(db);
        Assert.Empty(Recheck(db, full: true).Changes); // the full recheck agrees
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Recheck_DatabaseAtMigration13_UpgradedInPlace_FlaggedLinesIndexedAndRecheckedAsBefore(string provider)
    {
        var db = Database(provider, "2024-04-26");
        Submit(db, ToDubai("SO-13/1", "Gulf Packaging LLC"), ToDubai("SO-13/2", "Wuhan Global Sensor Technology Co., Ltd."), Resist("SO-13/3", 200));
        Recheck(db);
        using (var connection = new TestDatabaseConnection(db).Open())
        {
            // Back to schema version 13, as the release before migration 14 left it.
            connection.Execute(TestDatabase.UndoFlaggedLines + "DELETE FROM schema_migrations WHERE version >= 14");
        }

        Submit(db, ToDubai("SO-13/4", "Wuhan Global Sensor Technology Co., Ltd.")); // opening the store applies migration 14
        string[] Flagged()
        {
            using var connection = new TestDatabaseConnection(db).Open();
            Assert.Equal(15, connection.ExecuteScalar<long>("SELECT MAX(version) FROM schema_migrations"));
            // PostgreSQL has no such index: the same lines by their columns.
            return [.. connection.Query<string>(provider == TestDatabase.Sqlite
                ? "SELECT s.id FROM shipments s INDEXED BY shipments_flagged WHERE s.status IN ('held', 'released') AND (s.license IS NOT NULL OR s.reasons <> '[]') ORDER BY s.id"
                : "SELECT s.id FROM shipments s WHERE s.status IN ('held', 'released') AND (s.license IS NOT NULL OR s.reasons <> '[]') ORDER BY s.id")];
        }

        Assert.Equal(["SO-13/3"], Flagged()); // held for a licence; the others released without a reason
        Import(db, "ofac-csv", Sdn("2024-05-03"));

        Assert.Equal(["SO-13/2", "SO-13/4"], Recheck(db).Changes.Select(c => c.Id));
        AssertLine(db, "SO-13/4", ShipmentStatus.Held, "screening-match");
        Assert.Equal(["SO-13/2", "SO-13/3", "SO-13/4"], Flagged()); // the lines the recheck held entered the index
        AssertKeptSuperset(db);
        Assert.Empty(Recheck(db, full: true).Changes); // the full recheck agrees
        Assert.Null(ShipmentStore.Open(db).Audit.Verify());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Recheck_UpdateImportedBeforeMigration15_ItsChangesMadeFromTheVersionsAndTheSameLinesChange(string provider)
    {
        var db = Database(provider, "2024-04-26");
        Submit(db, ToDubai("SO-15/1", "Gulf Packaging LLC"), ToDubai("SO-15/2", "Wuhan Global Sensor Technology Co., Ltd."));
        Recheck(db);
        Import(db, "ofac-csv", Sdn("2024-05-03"));
        using (var connection = new TestDatabaseConnection(db).Open())
        {
            Assert.Equal(1, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM version_change_sets")); // the update's, recorded at import
            // Back to schema version 14, as the release before migration 15 left it: the update imported without a record.
            connection.Execute(TestDatabase.UndoVersionChanges + "DELETE FROM schema_migrations WHERE version >= 15");
        }

        var summary = Recheck(db); // opening the store applies migration 15; the update's changes come from its versions

        using (var connection = new TestDatabaseConnection(db).Open())
        {
            Assert.Equal(15, connection.ExecuteScalar<long>("SELECT MAX(version) FROM schema_migrations"));
            Assert.Equal(0, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM version_change_sets"));
        }

        Assert.Equal(["SO-15/2"], summary.Changes.Select(c => c.Id));
        Assert.Equal(305, summary.EntriesScreened); // the 305 entries the update added (it changed none)
        AssertLine(db, "SO-15/2", ShipmentStatus.Held, "screening-match");
        Assert.Empty(Recheck(db, full: true).Changes); // the full recheck agrees
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void OpenLines_KeptContentVersion_SettledWhenEveryLineHasIt_ALineOfAnotherFoldedInReadAgain(string provider)
    {
        var db = Database(provider, "2024-04-26");
        Submit(db, ToDubai("CV-1", "Gulf Packaging LLC"), ToDubai("CV-2", "Desert Falcon Trading"));
        var store = ShipmentStore.Open(db);
        var (current, nothing) = (Evaluator.Content.Version, new OpenLineFilter([], [], WithHits: false));
        string? Mark()
        {
            using var connection = new TestDatabaseConnection(db).Open();
            return connection.ExecuteScalar<string?>("SELECT content_version FROM recheck_parties_mark");
        }

        store.KeepRecheckParties();
        Assert.Null(Mark()); // built whole: not known yet
        Assert.Empty(store.OpenLines(current, filter: nothing)); // every line has it: settled
        Assert.Equal(current, Mark());
        Assert.Equal(["CV-1", "CV-2"], store.OpenLines("another content", filter: nothing).Select(l => l.Id)); // every line has another
        Assert.Null(Mark());
        Assert.Empty(store.OpenLines(current, filter: nothing));
        Assert.Equal(current, Mark());

        // A line determined with another content version (a submit by another release) and folded in: read again.
        Submit(db, ToDubai("CV-3", "Gulf Packaging LLC"));
        using (var connection = new TestDatabaseConnection(db).Open())
        {
            connection.Execute(
                "UPDATE shipments SET determination = REPLACE(determination || COALESCE((SELECT body FROM determinations WHERE sha256 = determination_sha256), ''), @now, 'sha256:older'), determination_sha256 = NULL WHERE id = 'CV-3'",
                new { now = current });
            connection.Execute("UPDATE shipment_facts SET content_version = 'sha256:older' WHERE shipment_id = 'CV-3'");
        }

        store.KeepRecheckParties();
        Assert.Null(Mark());
        Assert.Equal(["CV-3"], store.OpenLines(current, filter: nothing).Select(l => l.Id));
        Assert.Null(Mark());
        Assert.Equal(1, Recheck(db).LinesCheckedAgain); // determined again with this content version
        Assert.Equal(0, Recheck(db).LinesCheckedAgain);
        Assert.Equal(current, Mark());
        Assert.Null(store.Audit.Verify());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Recheck_DatabaseFromBeforeShipmentFacts_UpgradedInPlaceBackfillsThemAndRechecksAsBefore(string provider)
    {
        var db = Database(provider, "2024-04-26");
        Submit(db, ToDubai("SO-8/1", "Wuhan Global Sensor Technology Co., Ltd."), ToDubai("SO-8/2", "Gulf Packaging LLC", "Desert Falcon Trading"));
        var contentVersion = Evaluator.Content.Version;
        using (var connection = new TestDatabaseConnection(db).Open())
        {
            // Back to schema version 7, as a release before migration 8 left it: first migration 9 undone (each
            // determination whole in its line and its audit record again, the table and key columns dropped).
            connection.Execute(TestDatabase.UndoSharedDeterminations(provider));
            connection.Execute(provider == TestDatabase.Postgres
                ? "DROP TABLE shipment_facts; DELETE FROM schema_migrations WHERE version >= 8"
                : "DROP INDEX shipments_open; DROP TABLE shipment_facts; DELETE FROM schema_migrations WHERE version >= 8");
        }

        Import(db, "ofac-csv", Sdn("2024-05-03")); // opening the store applies migration 8
        using (var connection = new TestDatabaseConnection(db).Open())
        {
            var facts = connection.Query<(string, string?, string?, string, string?, string?)>(
                "SELECT shipment_id, end_user, consignee, destination, requested_license, content_version FROM shipment_facts ORDER BY shipment_id").ToList();
            Assert.Equal(
                [("SO-8/1", "Example Trading FZE", "Wuhan Global Sensor Technology Co., Ltd.", "AE", null, contentVersion),
                 ("SO-8/2", "Desert Falcon Trading", "Gulf Packaging LLC", "AE", null, contentVersion)],
                facts);
        }

        var summary = Recheck(db);

        Assert.Equal(["SO-8/1"], summary.Changes.Select(c => c.Id));
        Assert.Equal((2, 305, 4, 1), (summary.Lines, summary.EntriesScreened, summary.PartiesScreened, summary.LinesCheckedAgain));
        AssertLine(db, "SO-8/1", ShipmentStatus.Held, "screening-match");
        Assert.Null(ShipmentStore.Open(db).Audit.Verify());
    }

    /// <summary>Resist to Korea, after 4 July 2019: an individual licence is required.</summary>
    private static ShipmentText Resist(string id, decimal kg) =>
        new(new ShipmentId(id, false), "2019-08-20", "JP", "KR", ["JP:7(19)"], "civil", null, Exporter: "Example Chemical Co.", Consignee: "Korea Semi Co.",
            QuantityGiven: true, QuantityAmount: kg.ToString(System.Globalization.CultureInfo.InvariantCulture), QuantityUnit: "kg");

    private static License Licence(decimal kg) => new(
        "METI-2019-0001", "JP", "individual", "Example Chemical Co.", new LicenseScope(["JP:7(19)"], [CountryCode.Parse("KR")], [], []),
        new Period(new LocalDate(2019, 8, 8), new LocalDate(2020, 8, 8)), new LicenseLimit(kg, "kg"), null, 0, LicenseState.Granted);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Recheck_LicenceAdded_ReleasesHeldLines_BalanceFalls_RevokedHoldsThemAgain(string provider)
    {
        var db = Database(provider, "2024-04-26");
        Submit(db, Resist("SO-3/1", 200), Resist("SO-3/2", 100), Resist("SO-3/3", 300));
        Assert.All(new[] { "SO-3/1", "SO-3/2", "SO-3/3" }, id => Assert.Equal(["license-required"], Codes(Line(db, id))));
        var store = ShipmentStore.Open(db);
        store.Licenses.Add(Licence(500), "officer");

        var granted = Recheck(db);

        Assert.Equal(["SO-3/1", "SO-3/2", "SO-3/3"], granted.Changes.Select(c => c.Id));
        Assert.Equal(("METI-2019-0001", "METI-2019-0001"), (Line(db, "SO-3/1").License, Line(db, "SO-3/2").License));
        Assert.Equal(ShipmentStatus.Released, Line(db, "SO-3/2").Status);
        AssertLine(db, "SO-3/3", ShipmentStatus.Held, "license-required", "license-balance");
        Assert.Equal(200m, store.Licenses.Find("METI-2019-0001")!.Balance.QuantityRemaining);

        store.Licenses.ChangeState("METI-2019-0001", LicenseState.Revoked, new LocalDate(2019, 9, 1), "export of resist diverted", "officer");
        var revoked = Recheck(db);

        Assert.Equal(["SO-3/1", "SO-3/2", "SO-3/3"], revoked.Changes.Select(c => c.Id));
        Assert.Null(AssertLine(db, "SO-3/1", ShipmentStatus.Held, "license-withdrawn", "license-required").License);
        Assert.Equal(["license-required"], Codes(Line(db, "SO-3/3"))); // the revoked licence is no candidate any more
        Assert.Equal(500m, store.Licenses.Find("METI-2019-0001")!.Balance.QuantityRemaining); // every drawdown returned
        Assert.Null(store.Audit.Verify());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Recheck_ScreeningChangesAroundALicenceDraw_OneTransaction_ChainAndHistoryInLineOrder(string provider)
    {
        // The recheck holds back its own events and audit records until the commit, but the licence store appends its
        // draw's record itself: the records held back for SO-7/1 must go in before it, and SO-7/3's after it.
        var db = Database(provider, "2024-04-26");
        Submit(db, ToDubai("SO-7/1", "Wuhan Global Sensor Technology Co., Ltd."), Resist("SO-7/2", 100), ToDubai("SO-7/3", "Wuhan Global Sensor Technology Co., Ltd."));
        var store = ShipmentStore.Open(db);
        store.Licenses.Add(Licence(500), "officer");
        Import(db, "ofac-csv", Sdn("2024-05-03")); // adds SDN 46633, WUHAN GLOBAL SENSOR TECHNOLOGY
        var before = store.Audit.Head().Count;

        var summary = new Recheck(store, Service(db), "clearance").Run();

        Assert.Equal(["SO-7/1", "SO-7/2", "SO-7/3"], summary.Changes.Select(c => c.Id));
        AssertLine(db, "SO-7/1", ShipmentStatus.Held, "screening-match");
        Assert.Equal("METI-2019-0001", AssertLine(db, "SO-7/2", ShipmentStatus.Released).License);
        AssertLine(db, "SO-7/3", ShipmentStatus.Held, "screening-match");
        Assert.Null(store.Audit.Verify());
        Assert.Equal(
            [("shipment.recheck", "SO-7/1"), ("license.draw", "METI-2019-0001"), ("shipment.recheck", "SO-7/2"), ("shipment.recheck", "SO-7/3")],
            store.Audit.Read().Where(r => r.Sequence > before).Select(r => (r.Action, r.Subject)));
        Assert.All(new[] { "SO-7/1", "SO-7/2", "SO-7/3" }, id => Assert.Equal(["submit", "recheck"], Line(db, id).History.Select(h => h.Action)));
        Assert.Equal(400m, store.Licenses.Find("METI-2019-0001")!.Balance.QuantityRemaining);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Recheck_OfficerRelease_StandsUntilANewReasonAppears(string provider)
    {
        var db = Database(provider, "2024-04-26");
        Submit(db, ToDubai("SO-4/1", "Pouya Air"));
        var store = ShipmentStore.Open(db);
        store.Release("SO-4/1", "end use verified on site", "officer");

        Assert.Empty(Recheck(db).Changes);

        Import(db, "ofac-csv", Sdn("2024-05-03")); // 46633 exists from 3 May
        store.Decisions.Decide("Example Trading FZE", ShipmentWorkflow.Normalize("Example Trading FZE"), "ofac-sdn", "46633",
            ScreeningDecisionKind.TrueMatch, "same address as the listed entity", "analyst");
        var summary = Recheck(db);

        Assert.Equal(["SO-4/1"], summary.Changes.Select(c => c.Id));
        var line = AssertLine(db, "SO-4/1", ShipmentStatus.Held, [.. Codes(Line(db, "SO-4/1")).Where(c => c == "screening-match")]);
        Assert.Contains(Reasons(line), r => r!["decision"]?.GetValue<string>() == "true-match");
        Assert.Equal(["submit", "release", "recheck"], line.History.Select(h => h.Action)); // the override is kept in the history
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Recheck_ContentVersionChanged_EveryLineDeterminedAgain_StatusesStand(string provider)
    {
        var db = Database(provider, "2024-04-26");
        Submit(db, ToDubai("SO-5/1", "Gulf Packaging LLC"), Resist("SO-5/2", 100));
        DeterminedWithAnOlderContent(db);

        var summary = Recheck(db);

        Assert.Equal((2, 0), (summary.LinesCheckedAgain, summary.Changes.Count));
        Assert.All(ShipmentStore.Open(db).List(), l => Assert.Contains(Evaluator.Content.Version, l.Determination.Text, StringComparison.Ordinal));
        Assert.Equal(0, Recheck(db).LinesCheckedAgain);
        Assert.Null(ShipmentStore.Open(db).Audit.Verify());
    }

    /// <summary>Every line's determination as an older content version made it: each is checked again by the next recheck.</summary>
    private static void DeterminedWithAnOlderContent(string db)
    {
        using var connection = new TestDatabaseConnection(db).Open();

        // Each line's whole determination (its own part and the shared one) written with the line, as an older release did.
        connection.Execute(
            "UPDATE shipments SET determination = REPLACE(determination || COALESCE((SELECT body FROM determinations WHERE sha256 = determination_sha256), ''), @now, 'sha256:older'), determination_sha256 = NULL",
            new { now = Evaluator.Content.Version });
        connection.Execute("UPDATE shipment_facts SET content_version = 'sha256:older'");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Recheck_ContentOnDemand_SameLinesAsWithTheWholeContent_OnlyTheJurisdictionsTheLinesNeedCompiled(string provider)
    {
        // Two copies of one book, each after the SDN update of 3 May 2024 and a content change (every line checked
        // again): one rechecked with the whole content, the other with the content compiled as its lines need it.
        var (whole, onDemand) = (Database(provider, "2024-04-26", "whole.db"), Database(provider, "2024-04-26", "on-demand.db"));
        var compiled = new List<string>();
        var content = new ContentOnDemand(ContentLoader.BuiltInFiles(), evaluator =>
        {
            compiled.Add(string.Join(",", evaluator.Content.Jurisdictions.Select(j => j.Id)));
            return new CheckService(evaluator, EndUserScreeningFactory.Open(onDemand, TextWriter.Null));
        });
        void Book(params ShipmentText[] lines)
        {
            foreach (var db in new[] { whole, onDemand })
            {
                Submit(db, lines);
                DeterminedWithAnOlderContent(db);
            }
        }

        void AssertSameLines(int checkedAgain)
        {
            var (a, b) = (Recheck(whole), new Recheck(ShipmentStore.Open(onDemand), content, "clearance").Run());
            Assert.Equal((a.Lines, a.LinesCheckedAgain, a.PartiesScreened, a.EntriesScreened, a.Errors.Count), (b.Lines, b.LinesCheckedAgain, b.PartiesScreened, b.EntriesScreened, b.Errors.Count));
            Assert.Equal(checkedAgain, b.LinesCheckedAgain);
            Assert.Equal(a.Changes.Select(c => (c.Id, c.Status, c.License, c.Reasons)), b.Changes.Select(c => (c.Id, c.Status, c.License, c.Reasons)));
            Assert.Equal(
                ShipmentStore.Open(whole).List().Select(l => (l.Id, l.Status, l.License, l.Reasons, l.Determination)),
                ShipmentStore.Open(onDemand).List().Select(l => (l.Id, l.Status, l.License, l.Reasons, l.Determination)));
        }

        // Japanese exports only: a line near an entry the update adds, one licence-bound, one clear.
        Book(ToDubai("SO-9/1", "Wuhan Global Sensor Technology Co., Ltd."), ToDubai("SO-9/2", "Gulf Packaging LLC"), Resist("SO-9/3", 100));
        foreach (var db in new[] { whole, onDemand })
            Import(db, "ofac-csv", Sdn("2024-05-03"));
        AssertSameLines(checkedAgain: 3);
        Assert.Equal(["JP"], compiled);

        // A US-classified item exported from Japan (both regimes govern it) and a Korean export: their regimes too.
        Book(new ShipmentText(new ShipmentId("SO-9/4", false), "2024-05-06", "JP", "CN", ["JP:16", "US:3B993"], "civil", "Beihang University", Exporter: "Example Chemical Co."),
            new ShipmentText(new ShipmentId("SO-9/5", false), "2024-05-06", "KR", "CN", ["KR:3C002"], "civil", "Harbin Engineering University", Exporter: "Example Semi Co."));
        AssertSameLines(checkedAgain: 5);
        Assert.Equal(["JP", "JP,KR,US"], compiled);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Decide_UnknownEntry_ErrorNamingIt_NothingWritten(string provider)
    {
        var db = Database(provider, "2024-04-26");
        var decisions = ShipmentStore.Open(db).Decisions;

        var noEntry = Assert.Throws<ScreeningDecisionException>(() => decisions.Decide("X", "x", "ofac-sdn", "999999999", ScreeningDecisionKind.FalsePositive, "r", "a"));
        var noList = Assert.Throws<ScreeningDecisionException>(() => decisions.Decide("X", "x", "ofac-sdm", "36", ScreeningDecisionKind.FalsePositive, "r", "a"));

        Assert.Equal("--entity: list ofac-sdn has no entry '999999999' in its active version", noEntry.Message);
        Assert.Equal("--entity: no list 'ofac-sdm' among the active lists (meti-eul, ofac-sdn)", noList.Message);
        Assert.Empty(decisions.List());
        Assert.DoesNotContain(ShipmentStore.Open(db).Audit.Read(), r => r.Action == "screening.decide");
    }

    /// <summary>The open lines' distinct parties, as migration 11 keeps them or as the lines and their facts give them.</summary>
    private static HashSet<(string, string)> OpenParties(string db, bool kept)
    {
        using var connection = new TestDatabaseConnection(db).Open();
        const string Open = "FROM shipments s JOIN shipment_facts f ON f.shipment_id = s.id WHERE s.status IN ('held', 'released')";
        return [.. connection.Query<(string, string)>(kept
            ? "SELECT name, destination FROM recheck_parties"
            : $"SELECT f.end_user, f.destination {Open} AND f.end_user IS NOT NULL UNION SELECT f.consignee, f.destination {Open} AND f.consignee IS NOT NULL")];
    }

    /// <summary>Every party of every open line with the line's id, as the lines and their facts give them.</summary>
    private static HashSet<(string, string)> OpenLineParties(string db)
    {
        var store = ShipmentStore.Open(db);
        return [.. store.OpenLines(Evaluator.Content.Version).SelectMany(l => l.Parties().Select(p => (p, l.Id)))];
    }

    /// <summary>
    /// The summary (which folds the lines submitted since the last recheck into the kept parties) gives a superset of the
    /// open lines' parties, the exact count, and an earliest evaluation with the same list activations at or before it as
    /// the exact one (the later of the last finished run's start and the earliest open submission); after it the kept
    /// table is a superset too and its watermark is above every submit event, with every shipments row accounted for.
    /// Returns the kept parties.
    /// </summary>
    private static HashSet<(string, string)> AssertKeptSuperset(string db)
    {
        var store = ShipmentStore.Open(db);
        var activations = store.ListActivations();
        var summary = store.OpenLineSummary(activations);
        var exact = OpenParties(db, kept: false);
        Assert.Superset(exact, summary.Parties.ToHashSet());
        var kept = OpenParties(db, kept: true);
        Assert.Superset(exact, kept);
        using var connection = new TestDatabaseConnection(db).Open();
        Assert.Superset(OpenLineParties(db), connection.Query<(string, string)>("SELECT name, shipment_id FROM recheck_line_parties").ToHashSet()); // migration 13's too
        Assert.Equal(connection.ExecuteScalar<long>("SELECT COUNT(*) FROM shipments WHERE status IN ('held', 'released')"), summary.Count);
        Assert.Equal(0, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM shipment_events WHERE action = 'submit' AND id > (SELECT event_id FROM recheck_parties_mark)"));
        Assert.Equal(connection.ExecuteScalar<long>("SELECT COUNT(*) FROM shipments"), connection.ExecuteScalar<long>("SELECT lines FROM recheck_parties_mark"));
        var first = connection.ExecuteScalar<string?>("SELECT MIN(rtrim(submitted_at, 'Z')) FROM shipments WHERE status IN ('held', 'released')");
        var run = connection.ExecuteScalar<string?>("SELECT started_at FROM recheck_runs WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1");
        Instant? earliest = first is null ? null : NodaTime.Text.InstantPattern.ExtendedIso.Parse(first + "Z").Value;
        if (earliest is not null && run is not null && NodaTime.Text.InstantPattern.ExtendedIso.Parse(run).Value is var start && start > earliest)
            earliest = start;
        Assert.Equal(earliest is null, summary.EarliestEvaluation is null);
        if (earliest is { } e && summary.EarliestEvaluation is { } got)
        {
            Assert.True(got <= e);
            Assert.Equal(activations.Where(a => a.At <= e), activations.Where(a => a.At <= got));
        }

        return kept;
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void OpenLineSummary_SubmitReleaseCancelRejectRecheck_KeptPartiesAlwaysASupersetOfTheOpenLines(string provider)
    {
        var db = Database(provider, "2024-04-26");
        var workflow = new ShipmentWorkflow(Service(db), ShipmentStore.Open(db), "clearance");
        var prohibited = new ShipmentText(new ShipmentId("OC-7", false), "2020-01-01", "JP", "KP", ["JP:16"], "civil", "Korea Ryonbong", Exporter: "Example Chemical Co.", Consignee: "Korea Ryonbong");
        var first = workflow.Submit(new[]
        {
            ToDubai("OC-1", "Gulf Packaging LLC"), ToDubai("OC-2", "Gulf Packaging LLC", endUser: "Gulf Packaging LLC"), ToDubai("OC-3", "Desert Falcon Trading", endUser: null!),
            ToDubai("OC-4", "Pouya Air"), Resist("OC-5", 200), Resist("OC-6", 100), prohibited,
        }.Select((l, i) => l.Validate(i + 1))).SelectMany(b => b).ToList();
        Assert.All(first, l => Assert.Null(l.Error));
        using (var connection = new TestDatabaseConnection(db).Open())
            Assert.Equal(0, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM recheck_parties_mark")); // submit writes nothing of it

        // The first summary builds the set whole: exactly the open lines' parties (none of a rejected line).
        var kept = AssertKeptSuperset(db);
        Assert.Equal(OpenParties(db, kept: false), kept);
        Assert.DoesNotContain(kept, p => p.Item1 == "Korea Ryonbong");

        // Lines submitted since are folded in by the next one: another batch, one of them rejected at once.
        Submit(db, ToDubai("OC-8", "Sun Star Trading", endUser: "Sun Star Trading"));
        Assert.DoesNotContain(("Sun Star Trading", "AE"), OpenParties(db, kept: true));
        Assert.Null(workflow.Submit(new ShipmentText(new ShipmentId("OC-9", false), "2020-01-01", "JP", "KP", ["JP:16"], "civil", "Korea Kwangson", Exporter: "Example Chemical Co.", Consignee: "Korea Kwangson").Validate(1)).Error);
        kept = AssertKeptSuperset(db);
        Assert.Contains(("Sun Star Trading", "AE"), kept);
        Assert.DoesNotContain(kept, p => p.Item1 == "Korea Kwangson");

        var store = ShipmentStore.Open(db);
        store.Release("OC-4", "end use verified on site", "officer");
        AssertKeptSuperset(db);
        store.Cancel("OC-1", "order withdrawn", "clearance");
        store.Reject("OC-3", "consignee unknown", "officer");
        // Closing a line writes nothing: Desert Falcon Trading is kept, though no open line names it any more.
        Assert.Contains(("Desert Falcon Trading", "AE"), AssertKeptSuperset(db));
        Assert.DoesNotContain(("Desert Falcon Trading", "AE"), OpenParties(db, kept: false));

        store.Licenses.Add(Licence(500), "officer");
        Assert.Equal(["OC-5", "OC-6"], Recheck(db).Changes.Select(c => c.Id));
        AssertKeptSuperset(db);
        Import(db, "ofac-csv", Sdn("2024-05-03"));
        Recheck(db);
        Assert.Contains(("Desert Falcon Trading", "AE"), AssertKeptSuperset(db));

        // --full reads every open line: the set is made exact again.
        Recheck(db, full: true);
        Assert.Equal(OpenParties(db, kept: false), OpenParties(db, kept: true));
        Assert.DoesNotContain(("Desert Falcon Trading", "AE"), AssertKeptSuperset(db));

        // Every line closed: nothing to screen, and the next --full empties the set.
        foreach (var id in new[] { "OC-2", "OC-4", "OC-5", "OC-6", "OC-8" })
            store.Cancel(id, null, "clearance");
        Assert.Equal(0, Recheck(db).Lines);
        Assert.Empty(store.OpenLineSummary(store.ListActivations()).Parties);
        Recheck(db, full: true);
        Assert.Empty(AssertKeptSuperset(db));

        // A line written straight into the database, without its facts or a submit event: the rows outnumber what the
        // events explain, so the set is built whole again (with its facts filled in first).
        using (var connection = new TestDatabaseConnection(db).Open())
        {
            connection.Execute(
                """
                INSERT INTO shipments (id, status, license, reasons, determination, determination_sha256, request, demand, submitted_at, updated_at)
                SELECT id || '-copy', 'held', license, reasons, determination, determination_sha256, request, demand, submitted_at, updated_at FROM shipments WHERE id = 'OC-2'
                """);
        }

        Assert.Equal(1, Recheck(db).Lines);
        Assert.Equal([("Gulf Packaging LLC", "AE")], AssertKeptSuperset(db));
        Submit(db, ToDubai("OC-10", "Desert Falcon Trading", endUser: "Desert Falcon Trading"));
        Assert.Superset(new HashSet<(string, string)> { ("Gulf Packaging LLC", "AE"), ("Desert Falcon Trading", "AE") }, AssertKeptSuperset(db));

        // --full's compaction from lines read before a submit that came after its fold: that line's party stays.
        var mark = store.KeepRecheckParties();
        var read = store.OpenLines(Evaluator.Content.Version);
        Submit(db, ToDubai("OC-11", "Nova Prime Logistics", endUser: "Nova Prime Logistics"));
        store.CompactRecheckParties(mark, read);
        Assert.Contains(("Nova Prime Logistics", "AE"), AssertKeptSuperset(db));
        Assert.Null(store.Audit.Verify());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void OpenLines_Filtered_TheLinesOfEveryOpenLineThatTheFilterKeeps(string provider)
    {
        // The database's filter (on SQLite two passes: the facts' conditions, then the row's) against its meaning applied
        // in memory to every open line: lines with and without an end user (a null facts condition), with a hit, held for
        // a licence, under each flag, with the content version current and not.
        var db = Database(provider, "2024-04-26");
        Submit(db,
            ToDubai("OL-1", "Gulf Packaging LLC"),
            ToDubai("OL-2", "Aero Express Intercontinental", endUser: null!),
            ToDubai("OL-3", "Desert Falcon Trading", endUser: null!),
            ToDubai("OL-4", "Gulf Packaging LLC", endUser: null!),
            ToDubai("OL-5", "Desert Falcon Trading"),
            ToDubai("OL-8", "Desert Falcon Trading", endUser: "Desert Falcon Trading"), // the consignee its end user: looked up once
            Resist("OL-6", 200));
        var store = ShipmentStore.Open(db);
        store.Licenses.Add(Licence(100), "officer");
        Submit(db, Resist("OL-7", 100)); // drawn on the licence
        var current = Evaluator.Content.Version;
        store.KeepRecheckParties(); // as the recheck does before it reads: the lines' parties kept (migration 13)
        Assert.Contains(store.OpenLines(current), l => l.Reasons.Contains("\"entity\"", StringComparison.Ordinal));
        Assert.Contains(store.OpenLines(current), l => l.EndUser is null);
        foreach (var version in new[] { current, "another content" })
        {
            var every = store.OpenLines(version, withRequests: true);
            Assert.Equal(8, every.Count);
            Assert.Contains(every, l => l.License is not null);
            Assert.Contains(every, l => l.Status == ShipmentStatus.Held && l.Reasons.Contains("\"license-", StringComparison.Ordinal));
            foreach (var (parties, granted) in new (string[], string[])[] { ([], []), (["Desert Falcon Trading"], ["METI-2019-0001"]), (["Example Trading FZE", "Gulf Packaging LLC"], ["METI-2019-0001"]) })
            {
                foreach (var (hits, indeterminate) in new[] { (false, false), (true, false), (false, true), (true, true) })
                {
                    var filter = new OpenLineFilter(parties, granted, hits, indeterminate);
                    bool Keeps(OpenShipment l) => !l.CurrentContent || (l.EndUser is { } u && parties.Contains(u)) || (l.Consignee is { } c && parties.Contains(c))
                        || (l.License is not null && !granted.Contains(l.License))
                        || (l.Status == ShipmentStatus.Held && l.Reasons.Contains("\"license-", StringComparison.Ordinal))
                        || (hits && l.Reasons.Contains("\"entity\"", StringComparison.Ordinal))
                        || (indeterminate && l.Reasons.Contains("\"indeterminate\"", StringComparison.Ordinal));

                    Assert.Equal(every.Where(Keeps), store.OpenLines(version, withRequests: true, filter));
                }
            }
        }
    }
}

/// <summary>A plain connection to a test database, for a test that changes stored rows as an older release would have left them.</summary>
internal sealed class TestDatabaseConnection(string location)
{
    public System.Data.Common.DbConnection Open() =>
        (DatabaseLocation.IsPostgres(location) ? (IDbProvider)new NpgsqlProvider(location) : new SqliteProvider(location)).Open();
}
