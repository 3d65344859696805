using Dapper;
using System.Text.Json.Nodes;
using Clearance.Licensing;
using Clearance.Model;
using NodaTime;

namespace Clearance.Store.Tests;

// Shipment lines: status, reasons, licence drawdown and history, each change with its audit record, on both providers.
public sealed class ShipmentStoreTests : IDisposable
{
    private static readonly Func<string, string> Upper = s => s.Trim().ToUpperInvariant();
    private readonly TestDatabases _databases = new();

    public void Dispose() => _databases.Dispose();

    private static License Resist(string number = "L-1", decimal kg = 500) => new(
        number, "JP", "individual", "Example Co.",
        new LicenseScope(["JP:7(19)"], [CountryCode.Parse("KR")], [], []),
        new Period(new LocalDate(2019, 8, 8), new LocalDate(2020, 8, 8)),
        new LicenseLimit(kg, "kg"), null, 0, LicenseState.Granted);

    private static JsonObject Required() => new()
    {
        ["code"] = "license-required", ["jurisdiction"] = "JP", ["eligible_types"] = new JsonArray("individual"), ["review_days"] = 90,
    };

    /// <summary>A resist line to Korea of <paramref name="kg"/> on <paramref name="date"/>, needing an individual licence.</summary>
    private static ShipmentSubmission Line(string id, decimal kg, string date = "2019-08-20", string? license = null, params JsonObject[] reasons) => new(
        id, $"{{\"id\":\"{id}\"}}", new DeterminationText($"{{\"id\":\"{id}\",\"verdict\":\"license-required\"}}"), reasons, false, Required(),
        new LicenseDemand(NodaTime.Text.LocalDatePattern.Iso.Parse(date).Value, "JP", ["individual"], "Example Co.", ["JP:7(19)", "JP:7"],
            CountryCode.Parse("KR"), null, null, new LicenseLimit(kg, "kg"), null),
        license, "sha256:test");

    private static string[] Codes(ShipmentRecord record) =>
        [.. JsonNode.Parse(record.Reasons)!.AsArray().Select(r => r!["code"]!.GetValue<string>())];

    /// <summary>A clock the test sets.</summary>
    private sealed class SetClock : IClock
    {
        public Instant Now { get; set; }

        public Instant GetCurrentInstant() => Now;
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void List_SubmittedAtInstantsWithFewerAndMoreFractionDigits_InTimeOrder(string provider)
    {
        // Stored as "...:00.9Z", "...:00.95Z", "...:01Z", "...:01.05Z": as text ".95Z" sorts before ".9Z" and "01.05Z" before "01Z".
        var second = Instant.FromUtc(2019, 8, 20, 9, 0);
        var clock = new SetClock();
        var store = new ShipmentStore(_databases.Create(provider).CreateProvider(), clock);
        foreach (var (id, milliseconds) in new[] { ("o-4", 900), ("o-3", 950), ("o-2", 1000), ("o-1", 1050) })
        {
            clock.Now = second + Duration.FromMilliseconds(milliseconds);
            store.Submit(Line(id, 200, "2019-07-20"), "clearance", Upper);
        }

        Assert.Equal(["o-4", "o-3", "o-2", "o-1"], store.List().Select(l => l.Id));
        Assert.Equal(["o-4", "o-3", "o-2", "o-1"], store.List("held").Select(l => l.Id));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void ListAndFind_HeldReleasedCancelledLines_SameRecordsAsTheDapperReference(string provider)
    {
        // Lines with and without a licence (a NULL column), a demand, an officer's change with and without a reason.
        var database = _databases.Create(provider).CreateProvider();
        var store = new ShipmentStore(database);
        store.Submit(Line("o-1/1", 200, "2019-07-20"), "clearance", Upper);
        store.Licenses.Add(Resist(), "officer");
        store.Submit(Line("o-2/1", 200), "clearance", Upper);
        store.Submit(Line("o-3/1", 100), "clearance", Upper);
        store.Cancel("o-2/1", null, "officer");
        store.Release("o-1/1", "checked by hand", "officer");

        var reference = ListByDapper(database);
        var listed = store.List();
        var found = reference.Select(r => store.Find(r.Id)!).ToList();

        Assert.Equal(["o-1/1", "o-2/1", "o-3/1"], reference.Select(r => r.Id));
        Assert.Equal(reference.Select(r => r with { History = [] }), listed.Select(r => r with { History = [] }));
        Assert.All(listed, r => Assert.Empty(r.History));
        Assert.Equal(reference.Select(r => r with { History = [] }), found.Select(r => r with { History = [] }));
        Assert.Equal(reference.SelectMany(r => r.History), found.SelectMany(r => r.History));
        Assert.Equal(reference.Select(r => r.History.Count), found.Select(r => r.History.Count));
        Assert.Contains(reference, r => r.License is null);
        Assert.Contains(reference.SelectMany(r => r.History), e => e.Reason is null);
        Assert.Contains(reference.SelectMany(r => r.History), e => e.Reason == "checked by hand");
        Assert.Equal(["o-1/1", "o-3/1"], store.List(ShipmentStatus.Released).Select(r => r.Id));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Submit_NoLicenceYet_HeldThenLicenceAdded_ReleasedWithDrawdown_RepeatDrawsNothing(string provider)
    {
        var store = new ShipmentStore(_databases.Create(provider).CreateProvider());

        var held = store.Submit(Line("o-1/1", 200, "2019-07-20"), "clearance", Upper);
        store.Licenses.Add(Resist(), "officer");
        var released = store.Submit(Line("o-2/1", 200), "clearance", Upper);
        var repeated = store.Submit(Line("o-2/1", 200), "clearance", Upper);
        var changed = store.Submit(Line("o-2/1", 250) with { Request = "{\"id\":\"o-2/1\",\"quantity\":250}" }, "clearance", Upper);

        Assert.Equal((ShipmentStatus.Held, (string?)null), (held.Record.Status, held.Record.License));
        Assert.Equal(["license-required"], Codes(held.Record));
        Assert.Equal((ShipmentStatus.Released, "L-1", false), (released.Record.Status, released.Record.License, released.Repeated));
        Assert.Empty(Codes(released.Record));
        Assert.Equal((true, false), (repeated.Repeated, repeated.Differs));
        Assert.Equal((true, true, "L-1"), (changed.Repeated, changed.Differs, changed.Record.License)); // the stored result stands
        Assert.Equal(released.Record with { History = [] }, repeated.Record with { History = [] });
        Assert.Equal(300m, store.Licenses.Find("L-1")!.Balance.QuantityRemaining);
        Assert.Single(store.Licenses.Find("L-1")!.Ledger);
        Assert.Equal(
            ["shipment.submit", "license.add", "license.draw", "shipment.submit", "shipment.submit", "shipment.submit"],
            store.Audit.Read().Select(r => r.Action));
        Assert.All(store.Audit.Read().Where(r => r.Action == "shipment.submit"), r => Assert.Equal("sha256:test", r.ContentVersion));
        Assert.Null(store.Audit.Verify());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Submit_MoreThanTheBalance_HeldForLicenseBalance_AssignAfterCancelReleases(string provider)
    {
        var store = new ShipmentStore(_databases.Create(provider).CreateProvider());
        store.Licenses.Add(Resist(), "officer");
        store.Submit(Line("o-1/1", 300), "clearance", Upper);

        var short1 = store.Submit(Line("o-1/2", 300), "clearance", Upper).Record;
        var cancelled = store.Cancel("o-1/1", "order withdrawn", "officer");
        var assigned = store.Assign("o-1/2", "L-1", "officer", Upper);

        Assert.Equal(ShipmentStatus.Held, short1.Status);
        Assert.Equal(["license-required", "license-balance"], Codes(short1));
        Assert.Equal(200m, JsonNode.Parse(short1.Reasons)![1]!["quantity_remaining"]!.GetValue<decimal>());
        Assert.Equal((ShipmentStatus.Cancelled, (string?)null), (cancelled.Status, cancelled.License));
        Assert.Equal("L-1", cancelled.History[0].License); // what it drew on, kept in its history
        Assert.Equal((ShipmentStatus.Released, "L-1"), (assigned.Status, assigned.License));
        Assert.Empty(Codes(assigned));
        Assert.Equal(["submit", "assign"], assigned.History.Select(e => e.Action));
        var license = store.Licenses.Find("L-1")!;
        Assert.Equal(200m, license.Balance.QuantityRemaining);
        Assert.Equal([300m, -300m, 300m], license.Ledger.Select(l => l.Quantity));
        Assert.Null(store.Audit.Verify());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Submit_UnknownAssignedLicence_ErrorAndNothingWritten(string provider)
    {
        var store = new ShipmentStore(_databases.Create(provider).CreateProvider());
        store.Licenses.Add(Resist(), "officer");

        var unknown = Assert.Throws<ShipmentStoreException>(() => store.Submit(Line("o-1/1", 1, license: "L-9"), "clearance", Upper));
        var outside = Assert.Throws<ShipmentStoreException>(() => store.Submit(Line("o-1/2", 1, "2019-07-20", license: "L-1"), "clearance", Upper));

        Assert.Equal("field 'license': no licence numbered L-9", unknown.Message);
        Assert.Equal("field 'license': licence L-1 does not cover the line: outside-validity", outside.Message);
        Assert.Empty(store.List());
        Assert.Equal(["license.add"], store.Audit.Read().Select(r => r.Action));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void ReleaseAndReject_RecordedWithActorAndReason_ListFiltersByStatus(string provider)
    {
        var store = new ShipmentStore(_databases.Create(provider).CreateProvider());
        var screening = new JsonObject { ["code"] = "screening-match", ["list"] = "meti-eul", ["entity"] = "123", ["score"] = 0.91 };
        store.Submit(Line("o-1/1", 10, reasons: screening), "clearance", Upper);
        store.Submit(Line("o-1/2", 10), "clearance", Upper);
        store.Licenses.Add(Resist(), "officer");

        var released = store.Release("o-1/1", "not the listed entity: other address", "officer");
        var rejected = store.Reject("o-1/2", "customer on internal watch list", "officer");

        Assert.Equal(ShipmentStatus.Released, released.Status);
        Assert.Equal(["screening-match", "license-required", "officer-release"], Codes(released));
        Assert.Equal("officer", JsonNode.Parse(released.Reasons)![2]!["actor"]!.GetValue<string>());
        Assert.Equal(("release", "officer", "not the listed entity: other address"), (released.History[^1].Action, released.History[^1].Actor, released.History[^1].Reason));
        Assert.Equal(ShipmentStatus.Rejected, rejected.Status);
        Assert.Throws<ShipmentStoreException>(() => store.Release("o-1/2", "again", "officer")); // only a held line
        Assert.Throws<ShipmentStoreException>(() => store.Assign("o-1/2", "L-1", "officer", Upper)); // rejected
        Assert.Throws<ShipmentStoreException>(() => store.Cancel("o-9", null, "officer"));
        Assert.Equal(["o-1/1"], store.List(ShipmentStatus.Released).Select(r => r.Id));
        Assert.Equal(["o-1/2"], store.List(ShipmentStatus.Rejected).Select(r => r.Id));
        Assert.Null(store.Audit.Verify());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Submit_SameIdFromEightWritersAtOnce_RecordedAndDrawnOnce(string provider)
    {
        var database = _databases.Create(provider);
        new ShipmentStore(database.CreateProvider()).Licenses.Add(Resist(), "officer");
        var results = new System.Collections.Concurrent.ConcurrentBag<SubmitResult>();

        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
            results.Add(new ShipmentStore(database.CreateProvider()).Submit(Line("o-1/1", 10), "clearance", Upper)));

        var store = new ShipmentStore(database.CreateProvider());
        Assert.Equal(7, results.Count(r => r.Repeated));
        Assert.All(results, r => Assert.Equal((ShipmentStatus.Released, "L-1"), (r.Record.Status, r.Record.License)));
        Assert.Equal(10m, store.Licenses.Find("L-1")!.Balance.QuantityDrawn);
        Assert.Single(store.Find("o-1/1")!.History);
        Assert.Null(store.Audit.Verify());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Assign_ByEightOfficersAtOnce_DrawnOnce(string provider)
    {
        var database = _databases.Create(provider);
        var setup = new ShipmentStore(database.CreateProvider());
        setup.Submit(Line("o-1/1", 10), "clearance", Upper);
        setup.Licenses.Add(Resist(), "officer");

        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, officer =>
            new ShipmentStore(database.CreateProvider()).Assign("o-1/1", "L-1", $"officer-{officer}", Upper));

        var store = new ShipmentStore(database.CreateProvider());
        Assert.Equal(10m, store.Licenses.Find("L-1")!.Balance.QuantityDrawn);
        Assert.Single(store.Licenses.Find("L-1")!.Ledger);
        Assert.Equal(["submit", "assign"], store.Find("o-1/1")!.History.Select(e => e.Action));
        Assert.Null(store.Audit.Verify());
    }

    /// <summary>
    /// The reference for the store's readers of <see cref="ShipmentStore.List"/> and <see cref="ShipmentStore.Find"/>: the
    /// same queries mapped by Dapper by column name, as the store read them before it read every row by ordinal.
    /// </summary>
    private static List<ShipmentRecord> ListByDapper(IDbProvider database)
    {
        using var connection = database.Open();
        return [.. connection.Query<DapperLine>(ShipmentStore.SelectLines + " ORDER BY " + ShipmentStore.InSubmissionOrder).Select(r => new ShipmentRecord(
            r.Id, r.Status, r.License, r.Reasons, new DeterminationText(r.Determination), r.Request, ParseInstant(r.Submitted_At), ParseInstant(r.Updated_At),
            [.. connection.Query<DapperEvent>("SELECT * FROM shipment_events WHERE shipment = @id ORDER BY id", new { id = r.Id })
                .Select(e => new ShipmentEvent(ParseInstant(e.At), e.Actor, e.Action, e.Status, e.License, e.Reason))]))];
    }

    private static Instant ParseInstant(string text) => NodaTime.Text.InstantPattern.ExtendedIso.Parse(text).GetValueOrThrow();

    private sealed class DapperLine
    {
        public string Id { get; set; } = "";
        public string Status { get; set; } = "";
        public string? License { get; set; }
        public string Reasons { get; set; } = "[]";
        public string Determination { get; set; } = "{}";
        public string Request { get; set; } = "{}";
        public string Submitted_At { get; set; } = "";
        public string Updated_At { get; set; } = "";
    }

    private sealed class DapperEvent
    {
        public string At { get; set; } = "";
        public string Actor { get; set; } = "";
        public string Action { get; set; } = "";
        public string Status { get; set; } = "";
        public string? License { get; set; }
        public string? Reason { get; set; }
    }
}
