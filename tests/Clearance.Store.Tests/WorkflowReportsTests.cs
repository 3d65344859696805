using System.Text.Json.Nodes;
using Clearance.Licensing;
using Clearance.Model;
using NodaTime;

namespace Clearance.Store.Tests;

// The compliance reports over a small order book, on both providers.
public sealed class WorkflowReportsTests : IDisposable
{
    private static readonly Func<string, string> Upper = s => s.Trim().ToUpperInvariant();
    private readonly TestDatabases _databases = new();

    public void Dispose() => _databases.Dispose();

    /// <summary>A clock the test moves on: each change of the book happens on a day of its own.</summary>
    private sealed class DayClock : IClock
    {
        public Instant Now { get; set; } = Day(1);

        public Instant GetCurrentInstant() => Now;
    }

    private static Instant Day(int day) => Instant.FromUtc(2019, 7, day, 9, 0);

    private static JsonObject Required() => new()
    {
        ["code"] = "license-required", ["jurisdiction"] = "JP", ["eligible_types"] = new JsonArray("individual"), ["review_days"] = 90,
    };

    private static JsonObject Match(string party, string name, string list, string entity, double score) => new()
    {
        ["code"] = "screening-match", ["party"] = party, ["name"] = name, ["list"] = list, ["entity"] = entity, ["entry_name"] = "ENTRY " + entity, ["score"] = score,
    };

    /// <summary>A line to <paramref name="to"/>; with <paramref name="kg"/>, of resist needing an individual licence.</summary>
    private static ShipmentSubmission Line(string id, string to, decimal? kg, string date = "2019-07-10", params JsonObject[] reasons) => new(
        id, $"{{\"id\":\"{id}\",\"to\":\"{to}\"}}", new DeterminationText($"{{\"id\":\"{id}\"}}"), reasons, false, kg is null ? null : Required(),
        kg is not { } amount ? null : new LicenseDemand(NodaTime.Text.LocalDatePattern.Iso.Parse(date).Value, "JP", ["individual"], "Example Co.", ["JP:7(19)", "JP:7"],
            CountryCode.Parse(to), null, null, new LicenseLimit(amount, "kg"), null),
        null, "sha256:test");

    private static License Licence(string number, LocalDate from, LocalDate? lastDay, LicenseLimit? quantity, LicenseLimit? value) => new(
        number, "JP", "individual", "Example Co.", new LicenseScope(["JP:7(19)"], [CountryCode.Parse("KR")], [], []),
        new Clearance.Period(from, lastDay?.PlusDays(1)), quantity, value, 0, LicenseState.Granted);

    /// <summary>
    /// The book: SO-1 to KR held for a licence (day 1); SO-2 to CN held for its end user's match and a licence (day 2,
    /// assigned a licence on day 6 and still held for the match); SO-3 to US released (day 3); SO-4 to CN held for its
    /// consignee's matches and released by an officer (days 4 and 5); SO-5 to CN held for its consignee's match (day 7);
    /// SO-6 to KR drawing 200 kg on L-1 (day 8).
    /// </summary>
    private (WorkflowReports Reports, DayClock Clock) Book(string provider)
    {
        var database = _databases.Create(provider);
        var clock = new DayClock();
        var store = new ShipmentStore(database.CreateProvider(), clock);
        store.Submit(Line("SO-1", "KR", 100), "clearance", Upper);
        clock.Now = Day(2);
        store.Submit(Line("SO-2", "CN", null, reasons: Match("end_user", "Beihang University", "meti-eul", "501", 0.97)), "clearance", Upper);
        clock.Now = Day(3);
        store.Submit(Line("SO-3", "US", null), "clearance", Upper);
        clock.Now = Day(4);
        store.Submit(Line("SO-4", "CN", null, reasons: Match("consignee", "Harbin Trading", "csl", "H-9", 0.91)), "clearance", Upper);
        clock.Now = Day(5);
        store.Release("SO-4", "not the listed Harbin entity: different address", "a.tanaka");
        clock.Now = Day(7);
        store.Submit(Line("SO-5", "CN", null, reasons: [Match("consignee", "Beihang University", "meti-eul", "501", 1.0), Match("consignee", "Beihang University", "csl", "C-77", 0.85)]), "clearance", Upper);
        store.Licenses.Add(Licence("L-1", new LocalDate(2019, 7, 1), new LocalDate(2020, 8, 7), new LicenseLimit(500, "kg"), null), "officer");
        store.Licenses.Add(Licence("L-2", new LocalDate(2019, 7, 1), new LocalDate(2022, 12, 31), null, new LicenseLimit(1_000_000, "JPY")), "officer");
        store.Licenses.Add(Licence("L-3", new LocalDate(2019, 7, 1), null, new LicenseLimit(10, "kg"), new LicenseLimit(5000, "USD")), "officer");
        clock.Now = Day(8);
        store.Submit(Line("SO-6", "KR", 200, "2019-08-20"), "clearance", Upper);
        return (new WorkflowReports(database.CreateProvider()), clock);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Holds_ByReasonAndDestination_CountsOldestHoldAndLines(string provider)
    {
        var reports = Book(provider).Reports;

        var holds = reports.Holds();

        Assert.Equal((3, (Instant?)Day(1)), (holds.Lines, holds.OldestHold));
        Assert.Equal(
            [new("screening-match", 2, Day(2), ["SO-2", "SO-5"]), new("license-required", 1, Day(1), ["SO-1"])],
            holds.ByReason, new HoldGroupComparer());
        Assert.Equal(
            [new("CN", 2, Day(2), ["SO-2", "SO-5"]), new("KR", 1, Day(1), ["SO-1"])],
            holds.ByDestination, new HoldGroupComparer());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Holds_LineStillHeldAfterALicenceIsAssigned_HeldSinceItsFirstHold(string provider)
    {
        var clock = new DayClock();
        var database = _databases.Create(provider);
        var store = new ShipmentStore(database.CreateProvider(), clock);
        store.Submit(Line("SO-9", "KR", 100, "2019-08-20", Match("end_user", "Beihang University", "meti-eul", "501", 0.97)), "clearance", Upper);
        store.Licenses.Add(Licence("L-9", new LocalDate(2019, 7, 1), null, new LicenseLimit(500, "kg"), null), "officer");
        clock.Now = Day(9);

        var assigned = store.Assign("SO-9", "L-9", "officer", Upper); // the licence is drawn; the match still holds the line
        var holds = new WorkflowReports(database.CreateProvider()).Holds();

        Assert.Equal((ShipmentStatus.Held, "L-9"), (assigned.Status, assigned.License));
        Assert.Equal([new("screening-match", 1, Day(1), ["SO-9"])], holds.ByReason, new HoldGroupComparer());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Licenses_BalanceUsedAndExpiry_SeenFromTheDate(string provider)
    {
        var reports = Book(provider).Reports;

        var lines = reports.Licenses(new LocalDate(2020, 6, 1), 90);

        Assert.Equal(["L-1", "L-2", "L-3"], lines.Select(l => l.Record.License.Number));
        var (l1, l2, l3) = (lines[0], lines[1], lines[2]);
        Assert.Equal((200m, (decimal?)300m), (l1.Record.Balance.QuantityDrawn, l1.Record.Balance.QuantityRemaining));
        Assert.Equal(((decimal?)40.0m, (decimal?)null, (decimal?)40.0m, (int?)67, true), (l1.QuantityUsed, l1.ValueUsed, l1.Used, l1.DaysLeft, l1.Expiring));
        Assert.Equal(((decimal?)null, (decimal?)0m, (int?)943, false), (l2.QuantityUsed, l2.ValueUsed, l2.DaysLeft, l2.Expiring));
        Assert.Equal(((int?)null, false), (l3.DaysLeft, l3.Expiring));
        Assert.Equal(((int?)-1, false), (reports.Licenses(new LocalDate(2020, 8, 8), 90)[0].DaysLeft, reports.Licenses(new LocalDate(2020, 8, 8), 90)[0].Expiring));
        Assert.True(reports.Licenses(new LocalDate(2020, 8, 7), 0)[0].Expiring); // the last day itself is within a window of 0 days
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Alerts_HeldLinesMatches_ByPartyAndEntry_BestScoreFirst_ReleasedLinesLeftOut(string provider)
    {
        var reports = Book(provider).Reports;

        var alerts = reports.Alerts();

        Assert.Equal(2, alerts.Count); // SO-4's match was overridden by an officer: the line is released, not awaiting review
        Assert.Equal(("Beihang University", "meti-eul", "501", "ENTRY 501", 2, 1.0, Day(2)), (alerts[0].Party, alerts[0].List, alerts[0].Entity, alerts[0].EntryName, alerts[0].Lines, alerts[0].BestScore, alerts[0].OldestHold));
        Assert.Equal(["consignee", "end_user"], alerts[0].Roles);
        Assert.Equal(["SO-2", "SO-5"], alerts[0].Ids);
        Assert.Equal(("Beihang University", "csl", "C-77", 1, 0.85, Day(7)), (alerts[1].Party, alerts[1].List, alerts[1].Entity, alerts[1].Lines, alerts[1].BestScore, alerts[1].OldestHold));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Overrides_OfficerReleases_WhoWhenWhyAndTheLineNow(string provider)
    {
        var reports = Book(provider).Reports;

        var overrides = reports.Overrides();

        Assert.Equal([new OfficerOverride("SO-4", Day(5), "a.tanaka", "not the listed Harbin entity: different address", ShipmentStatus.Released, null)], overrides);
    }

    /// <summary>Groups compared by value, their ids as sequences.</summary>
    private sealed class HoldGroupComparer : IEqualityComparer<HoldGroup>
    {
        public bool Equals(HoldGroup? x, HoldGroup? y) =>
            x is not null && y is not null && (x.Key, x.Lines, x.OldestHold) == (y.Key, y.Lines, y.OldestHold) && x.Ids.SequenceEqual(y.Ids);

        public int GetHashCode(HoldGroup obj) => obj.Key.GetHashCode(StringComparison.Ordinal);
    }
}
