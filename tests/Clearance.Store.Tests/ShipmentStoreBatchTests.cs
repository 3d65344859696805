using System.Text.Json.Nodes;
using Clearance.Licensing;
using Clearance.Model;
using Dapper;
using NodaTime;

namespace Clearance.Store.Tests;

// The batched submit: many lines in one transaction, each still whole or absent, on both providers.
public sealed class ShipmentStoreBatchTests : IDisposable
{
    private static readonly Func<string, string> Upper = s => s.Trim().ToUpperInvariant();
    private readonly TestDatabases _databases = new();

    public void Dispose() => _databases.Dispose();

    private static License Licence(string number, string holder = "Example Co.", string item = "JP:7(19)", string? consignee = null,
        decimal kg = 500, int fromMonth = 8, LicenseState state = LicenseState.Granted) => new(
        number, "JP", "individual", holder,
        new LicenseScope(item == "" ? [] : [item], [CountryCode.Parse("KR")], consignee is null ? [] : [consignee], []),
        new Period(new LocalDate(2019, fromMonth, 8), new LocalDate(2020, fromMonth, 8)),
        new LicenseLimit(kg, "kg"), null, 0, state);

    /// <summary>A line of <paramref name="kg"/> needing an individual licence.</summary>
    private static ShipmentSubmission Line(string id, decimal kg, string date = "2019-08-20", string? license = null, string exporter = "Example Co.",
        string item = "JP:7(19)", string? consignee = null) => new(
        id, $"{{\"id\":\"{id}\"}}", new DeterminationText($"{{\"id\":\"{id}\"}}"), [], false,
        new JsonObject { ["code"] = "license-required", ["jurisdiction"] = "JP", ["eligible_types"] = new JsonArray("individual") },
        new LicenseDemand(NodaTime.Text.LocalDatePattern.Iso.Parse(date).Value, "JP", ["individual"], exporter, [item, item.Split('(')[0]],
            CountryCode.Parse("KR"), consignee is null ? null : Upper(consignee), null, new LicenseLimit(kg, "kg"), null),
        license, "sha256:test");

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Submit_BatchWithARefusedLineAndAnIdTwice_RefusedLineAloneAbsent_RepeatDrawnOnce(string provider)
    {
        var store = new ShipmentStore(_databases.Create(provider).CreateProvider());
        store.Licenses.Add(Licence("L-1", kg: 100), "officer");

        var outcomes = store.Submit([Line("a", 60), Line("b", 10, license: "NO-SUCH"), Line("a", 60), Line("c", 60), Line("d", 40)], "clearance", Upper);

        Assert.Equal([false, true, false, false, false], outcomes.Select(o => o.Error is not null));
        Assert.Equal("field 'license': no licence numbered NO-SUCH", outcomes[1].Error!.Message);
        Assert.Equal((ShipmentStatus.Released, "L-1", false), (outcomes[0].Result!.Record.Status, outcomes[0].Result!.Record.License, outcomes[0].Result!.Repeated));
        Assert.Equal((true, "L-1"), (outcomes[2].Result!.Repeated, outcomes[2].Result!.Record.License)); // the same id again in the batch: stored once
        Assert.Equal((ShipmentStatus.Held, (string?)null), (outcomes[3].Result!.Record.Status, outcomes[3].Result!.Record.License)); // 40 left
        Assert.Contains("\"license-balance\"", outcomes[3].Result!.Record.Reasons, StringComparison.Ordinal);
        Assert.Equal((ShipmentStatus.Released, "L-1"), (outcomes[4].Result!.Record.Status, outcomes[4].Result!.Record.License));
        Assert.Null(store.Find("b"));
        Assert.Equal(["a", "c", "d"], store.List().Select(r => r.Id).Order(StringComparer.Ordinal));
        Assert.Equal(["a", "d"], store.Licenses.Find("L-1")!.Ledger.Select(e => e.Shipment));
        Assert.Equal(
            ["license.add", "license.draw", "shipment.submit", "shipment.submit", "shipment.submit", "license.draw", "shipment.submit"],
            store.Audit.Read().Select(r => r.Action));
        Assert.Null(store.Audit.Verify());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Submit_BatchesOfOneManyAndARepeat_EachBatchWritesItsOwnRowsOnce(string provider)
    {
        // The store keeps a batch's row buffers for the next batch (sized by the first, grown by a larger one, emptied
        // after each, also after a batch that failed): every line's rows written once, none of an earlier batch again.
        var store = new ShipmentStore(_databases.Create(provider).CreateProvider());
        store.Licenses.Add(Licence("L-1", kg: 10_000), "officer");

        var first = store.Submit([Line("a-0", 10)], "clearance", Upper);
        var many = store.Submit([.. Enumerable.Range(1, 70).Select(i => Line($"a-{i}", 10))], "clearance", Upper);
        var refused = store.Submit([Line("x", 10, license: "NO-SUCH")], "clearance", Upper);
        var last = store.Submit([Line("a-0", 10), Line("a-71", 10)], "clearance", Upper);

        Assert.All(first.Concat(many).Append(last[1]), o => Assert.Equal((ShipmentStatus.Released, "L-1", false), (o.Result!.Record.Status, o.Result.Record.License, o.Result.Repeated)));
        Assert.NotNull(refused[0].Error);
        Assert.True(last[0].Result!.Repeated);
        Assert.Equal(72, store.List().Count);
        Assert.All(store.List(), r => Assert.Single(store.Find(r.Id)!.History));
        Assert.Equal(72, store.Licenses.Find("L-1")!.Ledger.Count);
        Assert.Equal(720m, store.Licenses.Find("L-1")!.Balance.QuantityDrawn);
        // The licence's record, then a draw and a submit a line, and the repeat's submit.
        Assert.Equal(1 + (2 * 72) + 1, store.Audit.Read().Count());
        Assert.Null(store.Audit.Verify());
    }

    [Fact]
    public void Submit_Sqlite_BatchOfManyRows_PooledConnectionLeftWithTheDefaultTempStore()
    {
        // The batch keeps SQLite's statement journals in memory (temp_store=MEMORY) and sets the default back before its
        // connection returns to the pool: another user of the connection sorts large results in a file as before.
        var provider = _databases.Create(TestDatabase.Sqlite).CreateProvider();
        var store = new ShipmentStore(provider);
        store.Licenses.Add(Licence("L-1", kg: 10_000), "officer");

        var outcomes = store.Submit([.. Enumerable.Range(0, 100).Select(i => Line($"s-{i:D3}", 10))], "clearance", Upper);

        Assert.All(outcomes, o => Assert.Equal((ShipmentStatus.Released, "L-1"), (o.Result!.Record.Status, o.Result.Record.License)));
        using var connection = provider.Open(); // the pool's one connection: the batch's
        Assert.Equal(0L, connection.ExecuteScalar<long>("PRAGMA temp_store"));
        Assert.Equal(1000m, store.Licenses.Find("L-1")!.Balance.QuantityDrawn);
        Assert.Null(store.Audit.Verify());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Submit_LineTheDatabaseRefuses_ErrorForItAlone_TheOthersRecorded(string provider)
    {
        // PostgreSQL refuses a NUL character in text (SQLite keeps it): the batch is replayed with a savepoint per line,
        // and only that line fails.
        var store = new ShipmentStore(_databases.Create(provider).CreateProvider());
        store.Licenses.Add(Licence("L-1", kg: 100), "officer");

        var outcomes = store.Submit([Line("a", 10), Line("b\0c", 10), Line("d", 10)], "clearance", Upper);

        var refused = provider == TestDatabase.Postgres;
        Assert.Equal([false, refused, false], outcomes.Select(o => o.Error is not null));
        if (refused)
            Assert.StartsWith("the database refused the line: 22021", outcomes[1].Error!.Message, StringComparison.Ordinal);
        Assert.Equal(refused ? ["a", "d"] : ["a", "b\0c", "d"], store.List().Select(r => r.Id).Order(StringComparer.Ordinal));
        Assert.Equal(refused ? 20m : 30m, store.Licenses.Find("L-1")!.Balance.QuantityDrawn);
        Assert.Null(store.Audit.Verify());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Submit_ManyLicencesAndFits_SameChoiceAndClosestLicenceAsTheStoresDraw(string provider)
    {
        // The batch decides in memory on indexed licences; LicenseStore.Draw reads every candidate from the database.
        // Both must choose the same licence, and name the same closest licence and fit when none covers.
        var batched = new ShipmentStore(_databases.Create(provider, "batched.db").CreateProvider());
        var drawn = new ShipmentStore(_databases.Create(provider, "drawn.db").CreateProvider());
        License[] licences =
        [
            Licence("L-01", kg: 50), Licence("L-02", fromMonth: 10), Licence("L-03", holder: "Other Co."), Licence("L-04", item: "JP:3(1)"),
            Licence("L-05", consignee: "Korea Semi Co."), Licence("L-06", item: "", kg: 30), Licence("L-07", state: LicenseState.Suspended),
            Licence("L-08", item: "JP:7", kg: 20), Licence("L-09", holder: "Other Co.", item: "JP:3(1)"),
        ];
        foreach (var store in new[] { batched, drawn })
        {
            foreach (var licence in licences)
                store.Licenses.Add(licence, "officer");
        }

        var random = new Random(20261201);
        var lines = Enumerable.Range(0, 300).Select(i => Line(
            $"s-{i}", random.Next(1, 30), new LocalDate(2019, 7, 1).PlusDays(random.Next(400)).ToString("yyyy-MM-dd", null),
            exporter: random.Next(6) == 0 ? "Other Co." : random.Next(8) == 0 ? "Third Co." : "Example Co.",
            item: random.Next(4) switch { 0 => "JP:3(1)", 1 => "JP:5(17)", _ => "JP:7(19)" },
            consignee: random.Next(3) == 0 ? "Korea Semi Co." : null)).ToList();

        var outcomes = batched.Submit(lines, "clearance", Upper);

        foreach (var (line, outcome) in lines.Zip(outcomes))
        {
            var expected = drawn.Licenses.Draw(null, line.Demand!, line.Id, "clearance", Upper);
            var record = outcome.Result!.Record;
            Assert.Equal(expected.Fit == LicenseFit.Covers ? expected.License : null, record.License);
            if (expected.Fit != LicenseFit.Covers)
            {
                var reason = JsonNode.Parse(record.Reasons)![0]!;
                Assert.Equal(expected.Fit == LicenseFit.WrongType ? null : expected.License, reason["closest_license"]?.GetValue<string>());
                Assert.Equal(expected.Fit == LicenseFit.WrongType ? null : LicenseMatch.Name(expected.Fit), reason["fit"]?.GetValue<string>());
            }
        }

        Assert.Contains(outcomes, o => o.Result!.Record.License is not null);
        Assert.Contains(outcomes, o => o.Result!.Record.Reasons.Contains("license-balance", StringComparison.Ordinal));
        Assert.Null(batched.Audit.Verify());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Submit_LicenceSuspendedAndAddedByAnotherWriterBetweenBatches_NextBatchSeesBoth(string provider)
    {
        var database = _databases.Create(provider);
        var store = new ShipmentStore(database.CreateProvider());
        store.Licenses.Add(Licence("L-1"), "officer");
        var officer = new ShipmentStore(database.CreateProvider());

        var first = store.Submit([Line("a", 10)], "clearance", Upper);
        officer.Licenses.ChangeState("L-1", LicenseState.Suspended, new LocalDate(2019, 8, 21), "under review", "officer");
        var second = store.Submit([Line("b", 10)], "clearance", Upper);
        officer.Licenses.Add(Licence("L-2"), "officer");
        var third = store.Submit([Line("c", 10)], "clearance", Upper);

        Assert.Equal("L-1", first[0].Result!.Record.License);
        Assert.Equal((ShipmentStatus.Held, (string?)null), (second[0].Result!.Record.Status, second[0].Result!.Record.License));
        Assert.Equal("L-2", third[0].Result!.Record.License);
        Assert.Null(store.Audit.Verify());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Submit_AnotherWriterDrawsAndCancelsBetweenBatches_NextBatchCountsBoth(string provider)
    {
        // A batch starts from the balances the last one committed (SQLite) only while nobody else wrote the ledger:
        // another store's draw, and then its cancel (a reversing entry), must each be counted by the next batch.
        var database = _databases.Create(provider);
        var store = new ShipmentStore(database.CreateProvider());
        store.Licenses.Add(Licence("L-1", kg: 100), "officer");
        var other = new ShipmentStore(database.CreateProvider());

        var first = store.Submit([Line("a", 30)], "clearance", Upper);
        other.Submit([Line("x", 50)], "clearance", Upper);
        var second = store.Submit([Line("b", 30)], "clearance", Upper); // 20 left: held for the balance
        other.Cancel("x", "withdrawn", "officer");
        var third = store.Submit([Line("c", 30)], "clearance", Upper); // 70 left again
        var fourth = store.Submit([Line("d", 30)], "clearance", Upper); // 40 left: the carried balance
        var fifth = store.Submit([Line("e", 30)], "clearance", Upper); // 10 left

        Assert.Equal("L-1", first[0].Result!.Record.License);
        Assert.Equal((ShipmentStatus.Held, (string?)null), (second[0].Result!.Record.Status, second[0].Result!.Record.License));
        Assert.Equal(20m, Remaining(second[0]));
        Assert.Equal(["L-1", "L-1"], new[] { third, fourth }.Select(o => o[0].Result!.Record.License));
        Assert.Equal((ShipmentStatus.Held, (string?)null), (fifth[0].Result!.Record.Status, fifth[0].Result!.Record.License));
        Assert.Equal(10m, Remaining(fifth[0]));
        Assert.Equal(90m, store.Licenses.Find("L-1")!.Balance.QuantityDrawn);
        Assert.Null(store.Audit.Verify());
    }

    /// <summary>The quantity a line held for the balance was told is left.</summary>
    private static decimal Remaining(SubmitOutcome outcome) =>
        JsonNode.Parse(outcome.Result!.Record.Reasons)!.AsArray().Single(r => r!["code"]!.GetValue<string>() == "license-balance")!["quantity_remaining"]!.GetValue<decimal>();

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Submit_EightBatchWritersAndAnOfficerAtOnce_NeverOverdrawNoDeadlock(string provider)
    {
        var database = _databases.Create(provider);
        var setup = new ShipmentStore(database.CreateProvider());
        setup.Submit([Line("held-1", 5, item: "JP:3(1)")], "clearance", Upper); // held: no licence yet
        setup.Licenses.Add(Licence("L-1", kg: 500), "officer");
        setup.Licenses.Add(Licence("L-2", kg: 500), "officer");
        setup.Licenses.Add(Licence("L-3", item: "JP:3(1)", kg: 5), "officer"); // for the officer's line only

        // Eight writers, each with batches of 25 lines of 10 kg (2,000 kg asked of 1,000), some ids shared between writers,
        // and an officer assigning and cancelling meanwhile (row locks on licences and lines: one lock order with the batches).
        Parallel.For(0, 9, new ParallelOptions { MaxDegreeOfParallelism = 9 }, writer =>
        {
            var store = new ShipmentStore(database.CreateProvider());
            if (writer == 8)
            {
                store.Assign("held-1", "L-3", "officer", Upper);
                store.Cancel("held-1", "withdrawn", "officer");
                return;
            }

            for (var batch = 0; batch < 2; batch++)
                store.Submit([.. Enumerable.Range(0, 25).Select(i => Line($"w{(i % 5 == 0 ? 0 : writer)}-{batch}-{i}", 10))], "clearance", Upper);
        });

        var check = new ShipmentStore(database.CreateProvider());
        var l1 = check.Licenses.Find("L-1")!.Balance;
        var l2 = check.Licenses.Find("L-2")!.Balance;
        Assert.Equal(1_000m, l1.QuantityDrawn + l2.QuantityDrawn); // every kilogram drawn, none twice
        Assert.True(l1.QuantityRemaining >= 0 && l2.QuantityRemaining >= 0);
        Assert.Equal(0m, check.Licenses.Find("L-3")!.Balance.QuantityDrawn); // assigned, then cancelled: returned
        var released = check.List(ShipmentStatus.Released);
        Assert.Equal(100, released.Count);
        Assert.Equal(2 * 25 * 8 - 2 * 5 * 7 + 1, check.List().Count); // shared ids stored once; held-1 cancelled but kept
        Assert.Null(check.Audit.Verify());
    }
}
