using Clearance.Store;

namespace Clearance.Application.Tests;

// A read line is suspect when a party of it is near an entry changed since the line's list versions: Recheck.AnyIn
// looks the party's few entries up in the changed ones, and must answer as HashSet.Overlaps, the reference, does.
public sealed class RecheckAnyInTests
{
    [Fact]
    public void AnyIn_RandomSets_AsOverlaps()
    {
        var random = new Random(20261205);
        EntityRef Entry() => new(random.Next(3) == 0 ? "meti-eul" : "ofac-sdn", random.Next(60).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var (some, none) = (0, 0);
        for (var round = 0; round < 2_000; round++)
        {
            var few = new HashSet<EntityRef>();
            for (var i = random.Next(0, 6); i > 0; i--)
                few.Add(Entry());
            var many = new HashSet<EntityRef>();
            for (var i = random.Next(0, 80); i > 0; i--)
                many.Add(Entry());

            // Equal records built apart (another string for the same id) are the same entry.
            var copies = new HashSet<EntityRef>(many.Select(e => new EntityRef(new string(e.ListId.AsSpan()), new string(e.EntityId.AsSpan()))));
            var expected = few.Overlaps(many);
            Assert.Equal(expected, Recheck.AnyIn(few, copies));
            Assert.Equal(expected, Recheck.AnyIn(few, many));
            (some, none) = expected ? (some + 1, none) : (some, none + 1);
        }

        Assert.True(some > 100 && none > 100, $"{some} overlapping, {none} not: both answers are tried");
    }
}
