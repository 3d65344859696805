using Clearance.Licensing;
using Clearance.Model;
using Dapper;
using NodaTime;

namespace Clearance.Store.Tests;

// Licences, their drawdown ledger and the audit trail, on both providers (TestDatabase).
public sealed class LicenseStoreTests : IDisposable
{
    private static readonly Func<string, string> Upper = s => s.Trim().ToUpperInvariant();
    private readonly TestDatabases _databases = new();

    public void Dispose() => _databases.Dispose();

    private static License Resist(string number = "L-1", decimal kg = 100, LocalDate? lastDay = null) => new(
        number, "JP", "individual", "Example Co.",
        new LicenseScope(["JP:7(19)"], [CountryCode.Parse("KR")], [], []),
        new Period(new LocalDate(2019, 8, 8), (lastDay ?? new LocalDate(2020, 8, 7)).PlusDays(1)),
        new LicenseLimit(kg, "kg"), null, 0, LicenseState.Granted);

    private static LicenseDemand Demand(decimal kg, string date = "2019-09-01") => new(
        NodaTime.Text.LocalDatePattern.Iso.Parse(date).Value, "JP", ["individual"], "Example Co.", ["JP:7(19)", "JP:7"],
        CountryCode.Parse("KR"), null, null, new LicenseLimit(kg, "kg"), null);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Add_ThenFind_RoundTripsWithItsLastValidDay(string provider)
    {
        var store = new LicenseStore(_databases.Create(provider).CreateProvider());
        var added = Resist();
        Assert.True(store.Add(added, "officer"));

        var found = store.Find("L-1")!;

        Assert.Equal(added, found.License with { Scope = added.Scope });
        Assert.Equal(["JP:7(19)"], found.License.Scope.Items);
        Assert.Equal(new LocalDate(2020, 8, 8), found.License.Validity.To);
        Assert.Equal(LicenseState.Granted, Assert.Single(found.Transitions).State);
        Assert.False(store.Add(Resist(), "officer")); // the same licence again: unchanged
        Assert.Throws<ListStoreException>(() => store.Add(Resist(kg: 200), "officer")); // the number with other details
        Assert.Single(store.Audit.Read());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Draw_UntilTheLimit_ThenRefusedForBalance_AndReversalReturnsIt(string provider)
    {
        var store = new LicenseStore(_databases.Create(provider).CreateProvider());
        store.Add(Resist(), "officer");

        var first = store.Draw(null, Demand(60), "o-1/1", "clearance", Upper);
        var second = store.Draw(null, Demand(40.5m), "o-1/2", "clearance", Upper);
        var reversed = store.Reverse("o-1/1", "officer", "cancelled");
        var third = store.Draw("L-1", Demand(40.5m), "o-1/3", "clearance", Upper);

        Assert.Equal((LicenseFit.Covers, 40m), (first.Fit, first.Balance!.Value.QuantityRemaining!.Value));
        Assert.Equal((LicenseFit.Balance, "L-1"), (second.Fit, second.License));
        Assert.Equal(-60m, Assert.Single(reversed).Quantity);
        Assert.Equal((LicenseFit.Covers, 59.5m), (third.Fit, third.Balance!.Value.QuantityRemaining!.Value));
        Assert.Equal(40.5m, store.Find("L-1")!.Balance.QuantityDrawn);
        Assert.Empty(store.Reverse("o-1/1", "officer", "again")); // reversed already: nothing more
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Draw_EightConcurrentWriters_NeverOverdraw(string provider)
    {
        var database = _databases.Create(provider);
        new LicenseStore(database.CreateProvider()).Add(Resist(kg: 50), "officer");
        var results = new System.Collections.Concurrent.ConcurrentBag<DrawResult>();

        // Each writer its own store and connections; 8 × 10 draws of 1 kg race for the 50 kg.
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, writer =>
        {
            var store = new LicenseStore(database.CreateProvider());
            for (var i = 0; i < 10; i++)
                results.Add(store.Draw(null, Demand(1), $"w{writer}/{i}", "clearance", Upper));
        });

        var check = new LicenseStore(database.CreateProvider());
        Assert.Equal(50, results.Count(r => r.Fit == LicenseFit.Covers));
        Assert.All(results.Where(r => r.Fit != LicenseFit.Covers), r => Assert.Equal(LicenseFit.Balance, r.Fit));
        Assert.Equal(50m, check.Find("L-1")!.Balance.QuantityDrawn);
        Assert.Null(check.Audit.Verify());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void ChangeState_Suspended_NoLongerDrawnAndAudited(string provider)
    {
        var store = new LicenseStore(_databases.Create(provider).CreateProvider());
        store.Add(Resist(), "officer");

        store.ChangeState("L-1", LicenseState.Suspended, new LocalDate(2019, 9, 1), "under review", "officer");
        var draw = store.Draw("L-1", Demand(1), "o-2/1", "clearance", Upper);

        Assert.Equal(LicenseFit.NotGranted, draw.Fit);
        Assert.Equal([LicenseState.Granted, LicenseState.Suspended], store.Find("L-1")!.Transitions.Select(t => t.State));
        Assert.Equal(["license.add", "license.suspended"], store.Audit.Read().Select(r => r.Action));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void AuditVerify_RowsEditedDeletedInsertedInTheDatabase_EachCaught(string provider)
    {
        var database = _databases.Create(provider);
        var dbProvider = database.CreateProvider();
        var store = new LicenseStore(dbProvider);
        store.Add(Resist(), "officer");
        for (var i = 0; i < 4; i++)
            store.Draw(null, Demand(1), $"o-{i}", "clearance", Upper);
        Assert.Null(store.Audit.Verify());

        void Tamper(string sql)
        {
            using var connection = dbProvider.Open();
            connection.Execute(sql);
        }

        Tamper("UPDATE audit SET outputs = '{}' WHERE sequence = 3");
        Assert.Equal(3, store.Audit.Verify()!.Sequence);
        Tamper("DELETE FROM audit WHERE sequence = 3");
        Assert.Contains("record 3 removed", store.Audit.Verify()!.Problem, StringComparison.Ordinal);
        Tamper("INSERT INTO audit (sequence, time, actor, action, subject, inputs, outputs, content_version, list_versions, previous_hash, hash) " +
            "SELECT 3, time, 'intruder', action, subject, inputs, outputs, content_version, list_versions, previous_hash, hash FROM audit WHERE sequence = 2");
        Assert.Equal(3, store.Audit.Verify()!.Sequence);
    }
}
