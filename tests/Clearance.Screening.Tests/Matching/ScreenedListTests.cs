using Clearance.Screening.Matching;
using NodaTime;

namespace Clearance.Screening.Tests.Matching;

public sealed class ScreenedListTests
{
    [Fact]
    public void Of_RandomEntries_OneListEachWithItsLatestDateInOrdinalOrder()
    {
        // 500 random sets of entries over a few list ids that differ in case and in length, with and without dates,
        // against the meaning written plainly: one list per id (ordinal), ids in ordinal order, the latest date any entry
        // of the list carries (none when none does).
        var random = new Random(20261205);
        string[] ids = ["ofac-sdn", "OFAC-SDN", "csl", "csl-2", "meti-eul", "un-sc", "a", "B"];
        for (var round = 0; round < 500; round++)
        {
            var entries = new List<ListEntity>();
            for (var i = random.Next(0, 30); i > 0; i--)
            {
                LocalDate? date = random.Next(3) == 0 ? null : new LocalDate(2020, 1, 1).PlusDays(random.Next(0, 2000));
                entries.Add(new ListEntity(ids[random.Next(ids.Length)], $"E{i}", EntityKind.Unknown, "Name", [], [], [], [], [], [], null, date));
            }

            ScreenedList[] expected = [.. entries.GroupBy(e => e.ListId, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new ScreenedList(g.Key, null, g.Select(e => e.SourceDate).Where(d => d is not null).Max()))];

            Assert.Equal(expected, ScreenedList.Of(entries));
        }
    }
}
