using Clearance.Licensing;
using Clearance.Model;
using NodaTime;
using Xunit;

namespace Clearance.Tests;

public class LicenseMatchTests
{
    private static readonly Func<string, string> Upper = s => s.Trim().ToUpperInvariant();

    private static License Resist(string number = "L-1", LocalDate? validTo = null, LicenseState state = LicenseState.Granted, decimal limit = 100, decimal tolerance = 0) => new(
        number, "JP", "individual", "Example Co.",
        new LicenseScope(["JP:7(19)"], [CountryCode.Parse("KR")], ["Korea Semi Co."], []),
        new Period(new LocalDate(2019, 8, 8), validTo ?? new LocalDate(2020, 8, 8)),
        new LicenseLimit(limit, "kg"), null, tolerance, state);

    private static LicenseDemand Demand(decimal kg = 10, string date = "2019-09-01", string to = "KR", string consignee = "KOREA SEMI CO.", string unit = "kg") => new(
        NodaTime.Text.LocalDatePattern.Iso.Parse(date).Value, "JP", ["individual"], "Example Co.", ["JP:7(19)", "JP:7"],
        CountryCode.Parse(to), consignee, null, new LicenseLimit(kg, unit), null);

    [Fact]
    public void Fit_InScopeAndBalance_Covers() =>
        Assert.Equal(LicenseFit.Covers, LicenseMatch.Fit(Resist(), LicenseBalance.From(Resist(), 0, 0), Demand(), Upper));

    [Theory]
    [InlineData("2019-08-07", LicenseFit.OutsideValidity)] // the day before validity
    [InlineData("2019-08-08", LicenseFit.Covers)]          // the first valid day
    [InlineData("2020-08-07", LicenseFit.Covers)]          // the last valid day
    [InlineData("2020-08-08", LicenseFit.OutsideValidity)] // the first day after
    public void Fit_ValidityBoundaries(string date, LicenseFit expected) =>
        Assert.Equal(expected, LicenseMatch.Fit(Resist(), LicenseBalance.From(Resist(), 0, 0), Demand(date: date), Upper));

    [Fact]
    public void Fit_OtherDestinationConsigneeOrUnit_NamesTheReason()
    {
        var license = Resist();
        var balance = LicenseBalance.From(license, 0, 0);
        Assert.Equal(LicenseFit.DestinationOutOfScope, LicenseMatch.Fit(license, balance, Demand(to: "CN"), Upper));
        Assert.Equal(LicenseFit.ConsigneeOutOfScope, LicenseMatch.Fit(license, balance, Demand(consignee: "OTHER CO."), Upper));
        Assert.Equal(LicenseFit.UnitMismatch, LicenseMatch.Fit(license, balance, Demand(unit: "pcs"), Upper));
        Assert.Equal(LicenseFit.NotGranted, LicenseMatch.Fit(Resist(state: LicenseState.Suspended), balance, Demand(), Upper));
    }

    [Theory]
    [InlineData(90, 10, LicenseFit.Covers)]   // exactly what is left
    [InlineData(90, 11, LicenseFit.Balance)]  // one more than is left
    public void Fit_BalanceBoundary(decimal drawn, decimal kg, LicenseFit expected) =>
        Assert.Equal(expected, LicenseMatch.Fit(Resist(), LicenseBalance.From(Resist(), drawn, 0), Demand(kg: kg), Upper));

    [Fact]
    public void Fit_Tolerance_AllowsTheStatedFractionOver()
    {
        var license = Resist(tolerance: 0.1m);
        Assert.Equal(LicenseFit.Covers, LicenseMatch.Fit(license, LicenseBalance.From(license, 100, 0), Demand(kg: 10), Upper));
        Assert.Equal(LicenseFit.Balance, LicenseMatch.Fit(license, LicenseBalance.From(license, 100, 0), Demand(kg: 10.01m), Upper));
    }

    [Fact]
    public void Choose_SeveralCovering_PrefersTheOneExpiringFirst()
    {
        var late = Resist("L-late", new LocalDate(2021, 1, 1));
        var early = Resist("L-early", new LocalDate(2020, 1, 1));
        var (chosen, fit, _) = LicenseMatch.Choose([(late, LicenseBalance.From(late, 0, 0)), (early, LicenseBalance.From(early, 0, 0))], Demand(), Upper);
        Assert.Equal(LicenseFit.Covers, fit);
        Assert.Equal("L-early", chosen!.Number);
    }

    [Fact]
    public void Choose_OnlyBalanceShort_ReportsBalance()
    {
        var full = Resist();
        var (chosen, fit, _) = LicenseMatch.Choose([(full, LicenseBalance.From(full, 100, 0))], Demand(), Upper);
        Assert.Null(chosen);
        Assert.Equal(LicenseFit.Balance, fit);
    }

    [Fact]
    public void BalanceOf_UsesAndReversals_Derived()
    {
        var license = Resist();
        var balance = LicenseBalance.Of(license, [
            new LedgerEntry(1, "L-1", "s-1", 30, 0, null),
            new LedgerEntry(2, "L-1", "s-2", 20, 0, null),
            new LedgerEntry(3, "L-1", "s-1", -30, 0, 1),
        ]);
        Assert.Equal(20, balance.QuantityDrawn);
        Assert.Equal(80, balance.QuantityRemaining);
        Assert.Null(balance.ValueRemaining);
    }
}
