using NodaTime;

namespace Clearance.Tests;

public sealed class PeriodIndexTests
{
    [Fact]
    public void Create_OverlapReported()
    {
        var (index, overlap) = PeriodIndex.Create([new Period(new LocalDate(2019, 1, 1), new LocalDate(2019, 6, 1)), new Period(new LocalDate(2019, 5, 1), null)]);

        Assert.Null(index);
        Assert.NotNull(overlap);
    }

    [Fact]
    public void Find_AgreesWithLinearScan()
    {
        var random = new Random(20190704);
        for (var round = 0; round < 200; round++)
        {
            var periods = new List<Period>();
            var day = new LocalDate(2010, 1, 1);
            for (var i = 0; i < random.Next(1, 12); i++)
            {
                day = day.PlusDays(random.Next(0, 30));
                var end = day.PlusDays(random.Next(1, 60));
                periods.Add(new Period(day, random.Next(10) == 0 ? null : end));
                if (periods[^1].To is null)
                {
                    break;
                }

                day = end;
            }

            var (index, overlap) = PeriodIndex.Create(periods.OrderBy(_ => random.Next()));
            Assert.Null(overlap);
            for (var d = new LocalDate(2009, 12, 1); d < day.PlusDays(90); d = d.PlusDays(1))
            {
                Assert.Equal(periods.Where(p => p.Contains(d)).Select(p => (Period?)p).SingleOrDefault(), index!.Find(d));
            }
        }
    }
}
