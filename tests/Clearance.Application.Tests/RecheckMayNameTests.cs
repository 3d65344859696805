using System.Text.Json.Nodes;
using Clearance.Store;

namespace Clearance.Application.Tests;

// The recheck parses a read line's reasons (to see whether a hit is on an entry that changed or left a list) only when
// Recheck.MayName says one of those entries' ids is written there: it must never say no where the document says yes.
public sealed class RecheckMayNameTests
{
    private static readonly string[] Ids = ["44842", "30644", "48612", "7", "1234-A", "EU.123.45", "a_b", "ID with space", "quote\"d", "back\\slash", "é1", "東芝", ""];
    private static readonly string[] Lists = ["ofac-sdn", "meti-eul", "un-sc"];

    private static string Reasons(Random random)
    {
        var reasons = new JsonArray();
        for (var r = random.Next(0, 5); r > 0; r--)
        {
            var reason = new JsonObject { ["code"] = "screening-match", ["name"] = Ids[random.Next(Ids.Length)] + " Trading" };
            if (random.Next(4) != 0)
                reason["list"] = Lists[random.Next(Lists.Length)];
            if (random.Next(4) != 0)
                reason["entity"] = Ids[random.Next(Ids.Length)];
            if (random.Next(3) == 0)
            {
                var listings = new JsonArray();
                for (var l = random.Next(1, 3); l > 0; l--)
                    listings.Add(new JsonObject { ["list"] = Lists[random.Next(Lists.Length)], ["entity"] = Ids[random.Next(Ids.Length)] });
                reason["listings"] = listings;
            }

            if (random.Next(5) == 0)
                reason["score"] = Ids[random.Next(Ids.Length)]; // an id's text in another property: a needless parse, never a miss
            reasons.Add(reason);
        }

        return reasons.ToJsonString();
    }

    [Fact]
    public void MayName_RandomReasonsAndEntries_NeverNoWhereTheDocumentNamesOne()
    {
        var random = new Random(20261204);
        var (named, skipped) = (0, 0);
        for (var n = 0; n < 20_000; n++)
        {
            var reasons = Reasons(random);
            var entries = new HashSet<EntityRef>();
            for (var e = random.Next(1, 4); e > 0; e--)
                entries.Add(new EntityRef(Lists[random.Next(Lists.Length)], Ids[random.Next(Ids.Length)]));
            var names = Recheck.NamesAny(reasons, entries);
            var may = Recheck.MayName(reasons, entries);
            Assert.True(may || !names, $"{reasons} names one of {string.Join(", ", entries)}");
            named += names ? 1 : 0;
            skipped += may ? 0 : 1;
        }

        Assert.InRange(named, 1_000, 19_000);
        Assert.InRange(skipped, 1_000, 19_000); // the shortcut taken often
    }

    [Theory]
    [InlineData("[{\"list\":\"ofac-sdn\",\"entity\":\"44842\"}]", "44842", true)]
    [InlineData("[{\"list\":\"ofac-sdn\",\"entity\":\"448421\"}]", "44842", false)]
    [InlineData("[{\"list\":\"ofac-sdn\",\"entity\":\"144842\"}]", "44842", false)]
    [InlineData("[{\"list\":\"ofac-sdn\",\"entity\":\"30644\",\"name\":\"a 44842\"}]", "44842", false)]
    [InlineData("[{\"listings\":[{\"list\":\"ofac-sdn\",\"entity\":\"44842\"}]}]", "44842", true)]
    [InlineData("[{\"list\":\"ofac-sdn\",\"entity\":\"30644\"}]", "id \"quoted\"", true)]
    [InlineData("[{\"list\":\"ofac-sdn\",\"entity\":\"30644\"}]", "", true)]
    public void MayName_OneEntry_AsItsIdIsWritten(string reasons, string id, bool may) =>
        Assert.Equal(may, Recheck.MayName(reasons, [new EntityRef("ofac-sdn", id)]));
}
