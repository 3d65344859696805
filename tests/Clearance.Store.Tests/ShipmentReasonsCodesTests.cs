using System.Text.Json;
using System.Text.Json.Nodes;

namespace Clearance.Store.Tests;

// ShipmentReasons.Codes reads a reasons array forward, without a document (a recheck's history event of each changed line
// read two); ShipmentReasons.CodesByDocument is the reading it replaced: both must give the same codes in the same order,
// and fail alike on what is not a reasons array.
public sealed class ShipmentReasonsCodesTests
{
    private static readonly string[] CodesSeen = ["screening-match", "screening-cleared", "officer-release", "license-required", "license-withdrawn", "indeterminate", "co\"de", "コード"];

    /// <summary>A reasons array as the workflow writes them, with what it never writes but a database could hold.</summary>
    private static string Reasons(Random random)
    {
        var reasons = new JsonArray();
        for (var r = random.Next(0, 6); r > 0; r--)
        {
            if (random.Next(12) == 0)
            {
                reasons.Add(null);
                continue;
            }

            var reason = new JsonObject();
            var codeAt = random.Next(5);
            for (var p = 0; p < 5; p++)
            {
                if (p == codeAt && random.Next(10) != 0)
                    reason["code"] = random.Next(15) == 0 ? null : CodesSeen[random.Next(CodesSeen.Length)];
                else
                    reason["p" + p] = random.Next(4) switch
                    {
                        0 => "value " + random.Next(100),
                        1 => random.NextDouble(),
                        2 => new JsonObject { ["code"] = "nested", ["listings"] = new JsonArray(new JsonObject { ["code"] = "deeper" }) },
                        _ => new JsonArray("a", 1, null, new JsonArray()),
                    };
            }

            reasons.Add(reason);
        }

        var text = reasons.ToJsonString();
        return random.Next(3) == 0 ? text.Replace(",", " ,\n ", StringComparison.Ordinal) : text;
    }

    [Fact]
    public void Codes_ReasonsArrays_TheSameCodesInTheSameOrderAsTheDocument()
    {
        var random = new Random(20261204);
        var withCodes = 0;
        for (var n = 0; n < 5_000; n++)
        {
            var reasons = Reasons(random);
            var expected = ShipmentReasons.CodesByDocument(reasons);
            Assert.Equal(expected.ToList(), ShipmentReasons.Codes(reasons).ToList());
            withCodes += expected.Count(c => c.Length > 0) > 1 ? 1 : 0;
        }

        Assert.InRange(withCodes, 500, 4_500);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData(" [ null , {} ] ")]
    [InlineData("[{\"\\u0063ode\":\"escaped name\"}]")]
    [InlineData("[{\"code\":\"a\\u00e9\"},{\"code\":\"a\\u00e9\"},{\"code\":\"b\"}]")]
    [InlineData("[{\"code\":\"x\",\"code\":\"y\"}]")]
    public void Codes_UnusualButValid_AsTheDocument(string reasons)
    {
        var (expected, actual) = Failures(reasons);
        if (expected is null)
            Assert.Equal(ShipmentReasons.CodesByDocument(reasons).ToList(), ShipmentReasons.Codes(reasons).ToList());
        else
            Assert.Equal(expected.GetType(), actual?.GetType());
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[1]")]
    [InlineData("[[]]")]
    [InlineData("[{\"code\":1}]")]
    [InlineData("[{\"code\":{}}]")]
    [InlineData("[{\"code\":\"a\"}] []")]
    [InlineData("[{\"code\":\"a\"},]")]
    [InlineData("[{\"code\":\"a\"}")]
    [InlineData("")]
    public void Codes_NotAReasonsArray_FailsAsTheDocument(string reasons)
    {
        var (expected, actual) = Failures(reasons);
        Assert.NotNull(expected);
        Assert.Equal(expected.GetType(), actual?.GetType());
    }

    /// <summary>What each reading throws on <paramref name="reasons"/>, if anything.</summary>
    private static (Exception? ByDocument, Exception? Forward) Failures(string reasons) =>
        (Record.Exception(() => ShipmentReasons.CodesByDocument(reasons)), Record.Exception(() => ShipmentReasons.Codes(reasons)));

    [Fact]
    public void Codes_Null_Throws() =>
        Assert.Throws<ArgumentNullException>(() => ShipmentReasons.Codes(null!));

    [Fact]
    public void Codes_AStoredLine_ItsCodeAndAnEmptyOne() =>
        Assert.Equal(["screening-match", ""], ShipmentReasons.Codes(JsonSerializer.Serialize(new object?[] { new { code = "screening-match", entity = "44842" }, new { party = "end_user" } })).ToList());
}
