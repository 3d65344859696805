using System.Text;
using Clearance.Content;
using Clearance.Evaluation;

namespace Clearance.Application.Tests;

/// <summary>
/// The classification of a line resolved to its regime and item, which the check keeps by the string's reference (a
/// reader's vocabulary gives one string per distinct value): every line gets its own item, however many strings
/// share the slots, whether the same text comes as one string or several, and an unknown code stays an error.
/// </summary>
public sealed class CheckServiceResolveTests
{
    private static readonly Evaluator Evaluator = new(ContentLoader.LoadBuiltIn());

    /// <summary>A line for every item of every list (exported from the regime's own country), with the expected item.</summary>
    private static (string Json, string Regime, int Item)[] EveryItem() =>
        [.. Evaluator.Content.Jurisdictions.SelectMany(j => j.Items.Select((item, i) =>
            ($$"""{"id": "{{j.Id}}-{{i}}", "date": "2024-06-03", "from": "{{j.Id}}", "to": "DE", "item": "{{j.Id}}:{{item.Code}}", "end_use": "civil"}""", j.Id, i)))];

    private static List<ShipmentLine> Read(IEnumerable<string> json) =>
        [.. JsonLinesInput.Read(new MemoryStream(Encoding.UTF8.GetBytes(string.Join("\n", json) + "\n")))];

    [Fact]
    public void Check_EveryItemFromTwoReadersInTurn_EachLineItsOwnItem()
    {
        // Two readers, two vocabularies: each text comes as two strings, checked in turn, twice over (the second
        // pass finds what the first kept), on one check service.
        var expected = EveryItem();
        var first = Read(expected.Select(e => e.Json));
        var second = Read(expected.Select(e => e.Json));
        var service = new CheckService(Evaluator, EndUserScreening.None);

        Assert.True(expected.Length > 2_880, $"{expected.Length} items");
        for (var pass = 0; pass < 2; pass++)
        {
            for (var i = 0; i < expected.Length; i++)
            {
                foreach (var line in new[] { first[i], second[i] })
                {
                    var result = service.Check(line).Result;
                    Assert.NotNull(result);
                    Assert.Equal(expected[i].Regime, result.Jurisdiction.Id);
                    Assert.Equal(expected[i].Item, result.ItemIndex);
                }
            }
        }
    }

    [Fact]
    public void Check_UnknownCodeAfterKnownOnes_ErrorEachTime()
    {
        var lines = Read([
            """{"id": "a", "date": "2024-06-03", "from": "US", "to": "DE", "item": "US:3A001.a.1"}""",
            """{"id": "b", "date": "2024-06-03", "from": "US", "to": "DE", "item": "US:no-such-item"}""",
            """{"id": "c", "date": "2024-06-03", "from": "US", "to": "DE", "item": "XX:3A001"}""",
        ]);
        var service = new CheckService(Evaluator, EndUserScreening.None);

        for (var pass = 0; pass < 2; pass++)
        {
            Assert.NotNull(service.Check(lines[0]).Result);
            Assert.Equal("unknown-item", service.Check(lines[1]).Error?.Code);
            Assert.Contains("is not an item of US's control list", service.Check(lines[1]).Error?.Message, StringComparison.Ordinal);
            Assert.Equal("unknown-item", service.Check(lines[2]).Error?.Code);
            Assert.Contains("names no regime", service.Check(lines[2]).Error?.Message, StringComparison.Ordinal);
        }
    }
}
