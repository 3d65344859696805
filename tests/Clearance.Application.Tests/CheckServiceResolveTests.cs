using System.Text;
using Clearance.Content;
using Clearance.Evaluation;

namespace Clearance.Application.Tests;

/// <summary>
/// <see cref="CheckService.Check"/> remembers the classifications it resolved by the string's reference (a reader's
/// vocabulary gives one string per code): lines that repeat a code, in the same string or in another with the same
/// characters, are answered as a fresh service answers each line alone, and a code that is not an item stays an error.
/// </summary>
public sealed class CheckServiceResolveTests
{
    private static readonly Evaluator Evaluator = new(ContentLoader.LoadBuiltIn());

    private static List<ShipmentLine> Read(IEnumerable<string> lines) =>
        [.. JsonLinesInput.Read(new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', lines))))];

    [Fact]
    public void Check_ClassificationsRepeatedAcrossLines_SameAnswerAsAFreshServicePerLine()
    {
        string[] items = ["JP:3(1)", "US:3A001.a.1", "KR:3C002", "JP:no-such-item", "US:EAR99", "JP:16", "us:3a001.a.1"];
        var texts = new List<string>();
        for (var n = 0; n < 60; n++)
        {
            var item = items[n % items.Length];
            var from = item[..2].ToUpperInvariant();
            texts.Add($"{{\"id\": \"o-{n}\", \"date\": \"2024-0{1 + (n % 9)}-01\", \"from\": \"{from}\", \"to\": \"{(n % 2 == 0 ? "CN" : "KR")}\", \"item\": \"{item}\", \"end_use\": \"civil\"}}");
        }

        // Two readings of the same text: the second's strings are other instances with the same characters.
        var lines = Read(texts).Concat(Read(texts)).ToList();
        var service = new CheckService(Evaluator, EndUserScreening.None);

        Assert.Same(lines[0].Shipment!.Classifications[0], lines[items.Length].Shipment!.Classifications[0]);
        Assert.NotSame(lines[0].Shipment!.Classifications[0], lines[texts.Count].Shipment!.Classifications[0]);
        foreach (var line in lines)
        {
            var remembered = service.Check(line);
            var alone = new CheckService(Evaluator, EndUserScreening.None).Check(line);

            Assert.Equal(alone.Error, remembered.Error);
            Assert.Equal(alone.Result?.ItemIndex, remembered.Result?.ItemIndex);
            Assert.Equal(alone.Result?.Jurisdiction.Id, remembered.Result?.Jurisdiction.Id);
            Assert.Same(alone.Result?.Determination, remembered.Result?.Determination);
        }

        Assert.Contains(lines.Select(service.Check), l => l.Error?.Code == "unknown-item");
    }
}
