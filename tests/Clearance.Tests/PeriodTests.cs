using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;

namespace Clearance.Tests;

public sealed class PeriodTests
{
    private static readonly LocalDate Removal = new(2019, 8, 28);
    private static readonly LocalDate Return = new(2023, 7, 21);

    [Fact]
    public void Contains_FirstDayIncludedLastDayExcluded()
    {
        var period = new Period(Removal, Return);

        Assert.False(period.Contains(Removal.PlusDays(-1)));
        Assert.True(period.Contains(Removal));
        Assert.True(period.Contains(Return.PlusDays(-1)));
        Assert.False(period.Contains(Return));
    }

    [Fact]
    public void Contains_OpenEndContainsEveryLaterDate()
    {
        var period = Period.StartingOn(Removal);

        Assert.True(period.Contains(new LocalDate(9999, 12, 31)));
        Assert.False(period.Contains(Removal.PlusDays(-1)));
    }

    [Fact]
    public void Constructor_EmptyPeriodRejected()
    {
        Assert.Throws<ArgumentException>(() => new Period(Removal, Removal));
        Assert.Throws<ArgumentException>(() => new Period(Removal, Removal.PlusDays(-1)));
    }

    [Fact]
    public void Overlaps_AdjacentPeriodsDoNotOverlap()
    {
        var before = new Period(LocalDate.MinIsoValue, Removal);
        var after = new Period(Removal, Return);

        Assert.False(before.Overlaps(after));
        Assert.True(before.Overlaps(new Period(Removal.PlusDays(-1), Return)));
    }

    [Fact]
    public void ToString_ShowsHalfOpenInterval()
    {
        Assert.Equal("[2019-08-28, 2023-07-21)", new Period(Removal, Return).ToString());
        Assert.Equal("[…, 2019-08-28)", new Period(LocalDate.MinIsoValue, Removal).ToString());
    }

    private static Arbitrary<(Period A, Period B, LocalDate Day)> Cases() =>
        (from a in Gen.Choose(0, 400)
         from al in Gen.Choose(1, 100)
         from aOpen in Gen.Elements(true, false)
         from b in Gen.Choose(0, 400)
         from bl in Gen.Choose(1, 100)
         from day in Gen.Choose(0, 600)
         let origin = new LocalDate(2019, 1, 1)
         select (new Period(origin.PlusDays(a), aOpen ? null : origin.PlusDays(a + al)),
                 new Period(origin.PlusDays(b), origin.PlusDays(b + bl)),
                 origin.PlusDays(day))).ToArbitrary();

    [Property(MaxTest = 300)]
    public Property Overlaps_IsSymmetricAndImpliedBySharedDay() =>
        Prop.ForAll(Cases(), c =>
            c.A.Overlaps(c.B) == c.B.Overlaps(c.A)
            && (!(c.A.Contains(c.Day) && c.B.Contains(c.Day)) || c.A.Overlaps(c.B)));

    [Property(MaxTest = 300)]
    public Property Overlaps_MeansSomeDayInBoth() =>
        Prop.ForAll(Cases(), c =>
        {
            var shared = Enumerable.Range(0, 800).Select(i => new LocalDate(2019, 1, 1).PlusDays(i)).Any(d => c.A.Contains(d) && c.B.Contains(d));
            return c.A.Overlaps(c.B) == shared;
        });
}
