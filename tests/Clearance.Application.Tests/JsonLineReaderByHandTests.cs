using System.Text;

namespace Clearance.Application.Tests;

/// <summary>
/// The hand reader of the common line (JsonLineReader.ByHand.cs): lines of the common shape are read by hand, every
/// other line falls back to the walk, and both give what the reference reader gives. The agreement over generated and
/// mutated lines is in <see cref="ReferenceJsonLineReaderTests"/>.
/// </summary>
public sealed class JsonLineReaderByHandTests
{
    private const string Common = """{"id":"o-1","date":"2019-07-04","from":"JP","to":"KR","item":"JP:3(1)","end_use":"civil","held":["general-bulk"]}""";

    [Theory]
    [InlineData(Common)]
    [InlineData("""{"id":17,"date":"2019-07-04","from":"JP","to":"KR","item":["JP:3(1)","US:3B993"],"end_use":"wmd","held":[]}""")]
    [InlineData("""{"id":"o-2","date":"2019-07-04","from":"JP","to":"KR","item":"JP:3(1)","value":{"currency":"USD","amount":1200.50},"informed":true,"held":["general-bulk","individual"]}""")]
    [InlineData("""{"id":"o-3","date":"2019-07-04","from":"JP","to":"KR","item":"JP:3(1)","value":{"amount":0,"currency":"JPY"},"informed":false,"end_user":"Example Co., Ltd.","consignee":"  "}""")]
    [InlineData("""{"id":-0,"date":"2019-7-4","from":"Narnia","to":"kr","item":[],"end_use":"peaceful","value":{"amount":-1}}""")] // read by hand, refused by validation
    [InlineData("""{"date":"2019-07-04"}""")]
    public void Read_CommonShape_ReadByHandAsTheReferenceReads(string json)
    {
        var reader = new JsonLineReader();
        var bytes = Encoding.UTF8.GetBytes(json);

        var line = reader.Read(bytes, 3);

        Assert.Equal(1, reader.LinesReadByHand);
        Assert.Equal(ReferenceJsonLineReaderTests.Describe(ReferenceJsonLineReader.Read(bytes, 3)), ReferenceJsonLineReaderTests.Describe(line));
    }

    [Theory]
    [InlineData("\"end_use\":\"civil\"", "\"end_use\":\"\\u0063ivil\"")] // an escape in a value
    [InlineData("\"end_use\":\"civil\"", "\"end_\\u0075se\":\"civil\"")] // an escape in a name
    [InlineData("\"end_use\":\"civil\"", "\"end_use\":\"civil\",\"end_user\":\"K\u00f6ln GmbH\"")] // a byte outside ASCII
    [InlineData("\"end_use\":\"civil\"", "\"end_use\":\"civ\til\"")] // a control byte (invalid JSON)
    [InlineData("\"end_use\":\"civil\"", "\"end_use\": \"civil\"")] // whitespace between tokens
    [InlineData("{\"id\"", " {\"id\"")]
    [InlineData("]}", "]} ")]
    [InlineData("]}", "],}")] // a trailing comma
    [InlineData("]}", "]}{}")] // two objects
    [InlineData("]}", "]")] // cut
    [InlineData("\"held\":[\"general-bulk\"]", "\"held\":[\"general-bulk\",]")]
    [InlineData("\"end_use\":\"civil\"", "\"end_use\":\"civil\",\"quantity\":{\"amount\":5,\"unit\":\"kg\"}")] // a field not in the short list
    [InlineData("\"end_use\":\"civil\"", "\"end_use\":\"civil\",\"facts\":{\"military_end_user\":true}")]
    [InlineData("\"end_use\":\"civil\"", "\"end_use\":\"civil\",\"inform\":true")] // misspelt
    [InlineData("\"date\":\"2019-07-04\"", "\"date\":\"2019-07-04\",\"date\":\"bad\"")] // repeated: the walk keeps the last
    [InlineData("\"end_use\":\"civil\"", "\"end_use\":null")] // another type than the usual
    [InlineData("\"held\":[\"general-bulk\"]", "\"held\":null")]
    [InlineData("\"from\":\"JP\"", "\"from\":7")]
    [InlineData("\"item\":\"JP:3(1)\"", "\"item\":[7]")]
    [InlineData("\"item\":\"JP:3(1)\"", "\"item\":[\"JP:1\",\"JP:2\",\"JP:3\",\"JP:4\",\"JP:5\",\"JP:6\",\"JP:7\",\"JP:8\",\"JP:9\",\"JP:10\",\"JP:11\",\"JP:12\",\"JP:13\",\"JP:14\",\"JP:15\",\"JP:16\",\"JP:17\"]")] // too many
    [InlineData("\"end_use\":\"civil\"", "\"end_use\":\"civil\",\"consignee\":null")]
    [InlineData("\"end_use\":\"civil\"", "\"end_use\":\"civil\",\"informed\":\"yes\"")]
    [InlineData("\"end_use\":\"civil\"", "\"end_use\":\"civil\",\"informed\":truex")]
    [InlineData("\"id\":\"o-1\"", "\"id\":1e3")] // an exponent
    [InlineData("\"id\":\"o-1\"", "\"id\":01")] // a leading zero (invalid JSON)
    [InlineData("\"id\":\"o-1\"", "\"id\":12.")]
    [InlineData("\"id\":\"o-1\"", "\"id\":-")]
    [InlineData("\"end_use\":\"civil\"", "\"end_use\":\"civil\",\"value\":{}")]
    [InlineData("\"end_use\":\"civil\"", "\"end_use\":\"civil\",\"value\":{\"amount\":1,\"amount\":2,\"currency\":\"USD\"}")]
    [InlineData("\"end_use\":\"civil\"", "\"end_use\":\"civil\",\"value\":{\"amout\":1,\"currency\":\"USD\"}")]
    [InlineData("\"end_use\":\"civil\"", "\"end_use\":\"civil\",\"value\":{\"amount\":\"1\",\"currency\":\"USD\"}")]
    [InlineData("\"end_use\":\"civil\"", "\"end_use\":\"civil\",\"value\":{\"amount\":1,\"currency\":\"USD\"")]
    [InlineData("{\"id\":\"o-1\",", "{,\"id\":\"o-1\",")]
    public void Read_UnusualLine_FallsBackToTheWalk(string common, string unusual)
    {
        Assert.Contains(common, Common, StringComparison.Ordinal);
        var reader = new JsonLineReader();
        var bytes = Encoding.UTF8.GetBytes(Common.Replace(common, unusual, StringComparison.Ordinal));

        var line = reader.Read(bytes, 5);

        Assert.Equal(0, reader.LinesReadByHand);
        Assert.Equal(ReferenceJsonLineReaderTests.Describe(ReferenceJsonLineReader.Read(bytes, 5)), ReferenceJsonLineReaderTests.Describe(line));
    }

    [Fact]
    public void Read_EmptyAndTinyLines_FallBackToTheWalk()
    {
        var reader = new JsonLineReader();
        foreach (var json in new[] { "", "{", "}", "{}", "[]", "\"x\"", "{\"", "{\"id\"", "{\"id\":" })
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            Assert.Equal(ReferenceJsonLineReaderTests.Describe(ReferenceJsonLineReader.Read(bytes, 1)), ReferenceJsonLineReaderTests.Describe(reader.Read(bytes, 1)));
        }

        Assert.Equal(0, reader.LinesReadByHand);
    }

    [Fact]
    public void QuickAmount_GeneratedAmounts_AsTryParseAmountGives()
    {
        // Digits with a point or not, up to 22 of them, and damage (a sign, an exponent, a point at an end or twice):
        // whatever the quick parse takes, the plain one takes too, to the same decimal (its scale included).
        var random = new Random(24);
        var taken = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var text = new StringBuilder();
            var digits = 1 + random.Next(22);
            for (var d = 0; d < digits; d++)
            {
                text.Append((char)('0' + random.Next(10)));
            }

            if (random.Next(2) == 0)
            {
                text.Insert(random.Next(text.Length + 1), '.');
            }

            if (random.Next(10) == 0)
            {
                text.Insert(random.Next(text.Length + 1), "-e.+"[random.Next(4)]);
            }

            var amount = text.ToString();
            if (JsonLineReader.QuickAmount(Encoding.ASCII.GetBytes(amount), out var quick))
            {
                taken++;
                Assert.True(ShipmentFields.TryParseAmount(amount, out var plain), amount);
                Assert.Equal(decimal.GetBits(plain), decimal.GetBits(quick));
            }
        }

        Assert.True(taken > 5_000, $"{taken} amounts taken");
    }

    [Fact]
    public void Read_ValuesAlikeInTheirFirst16Bytes_KeptApart()
    {
        // The vocabulary compares a key's first 16 bytes in its entry and the rest apart: keys that differ past them, or
        // only in length, are different values.
        var reader = new JsonLineReader();
        string[] items = ["US:1C117.c.1.c.xx", "US:1C117.c.1.c.xy", "US:1C117.c.1.c.x", "US:1C117.c.1.c", "US:1C117.c.1.c.x\u0079"];
        string[] held = ["\"special-general-bulk\",\"individual\"", "\"special-general-bulk\",\"individuals\"", "\"special-general-bulk\"", "\"special-general-bulkx\""];
        for (var round = 0; round < 2; round++)
        {
            foreach (var item in items)
            {
                foreach (var licences in held)
                {
                    var bytes = Encoding.UTF8.GetBytes($$"""{"id":"o-1","date":"2019-07-04","from":"JP","to":"KR","item":"{{item}}","held":[{{licences}}]}""");
                    Assert.Equal(ReferenceJsonLineReaderTests.Describe(ReferenceJsonLineReader.Read(bytes, 1)), ReferenceJsonLineReaderTests.Describe(reader.Read(bytes, 1)));
                }
            }
        }
    }
}
