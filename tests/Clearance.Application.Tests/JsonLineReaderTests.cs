using System.Text;
using System.Text.Json;

namespace Clearance.Application.Tests;

public sealed class JsonLineReaderTests
{
    private const string Valid = """{"id":"o-1","date":"2019-07-04","from":"JP","to":"KR","item":"JP:3(1)","end_use":"civil","end_user":"Example Co., Ltd.","informed":false,"value":{"amount":5000000,"currency":"JPY"},"held":["general-bulk"]}""";

    [Fact]
    public void Read_MutatedLines_AlwaysOneResultOrOneErrorPerLine()
    {
        // Hostile and damaged input: every byte position flipped, cut or doubled, with a fixed seed. The batch must
        // answer each line once, as a result or as an error naming the line, and never stop.
        var random = new Random(20190828);
        var lines = new List<string>();
        var bytes = Encoding.UTF8.GetBytes(Valid);
        for (var i = 0; i < 3000; i++)
        {
            var mutated = (byte[])bytes.Clone();
            var position = random.Next(mutated.Length);
            switch (i % 4)
            {
                case 0:
                    mutated[position] = (byte)random.Next(32, 127);
                    break;
                case 1:
                    mutated = mutated[..position];
                    break;
                case 2:
                    mutated = [.. mutated[..position], mutated[position], .. mutated[position..]];
                    break;
                default:
                    mutated[position] = (byte)random.Next(128, 256);
                    break;
            }

            var text = Encoding.UTF8.GetString(mutated).Replace("\n", " ", StringComparison.Ordinal).Replace("\r", " ", StringComparison.Ordinal);
            if (!string.IsNullOrWhiteSpace(text))
            {
                lines.Add(text);
            }
        }

        var (results, summary) = CheckBatchTests.Run(string.Join('\n', lines));

        Assert.Equal(lines.Count, results.Count);
        Assert.Equal(summary.Errors, results.Count(r => r.TryGetProperty("error", out _)));
        foreach (var (r, index) in results.Select((r, i) => (r, i)))
        {
            if (r.TryGetProperty("error", out var error))
            {
                Assert.Equal(index + 1, r.GetProperty("line").GetInt32());
                Assert.Contains($"line {index + 1}", error.GetProperty("message").GetString(), StringComparison.Ordinal);
            }
            else
            {
                Assert.Contains(r.GetProperty("verdict").GetString(), new[] { "license-required", "no-license-required", "prohibited", "indeterminate" });
            }
        }
    }

    [Theory]
    [InlineData("""{"date":"2019-07-04","from":"JP","to":"KR","item":"JP:3(1)","informed":"maybe"}""", "invalid-field", "field 'informed': 'maybe' is not one of true, false, yes, no, 1, 0")]
    [InlineData("""{"date":"2019-07-04","from":"JP","to":"KR","item":"JP:3(1)","informed":7}""", "invalid-field", "'informed'")]
    [InlineData("""{"date":"2019-07-04","from":"JP","to":"KR","item":"JP:3(1)","inform":true}""", "unknown-field", "line 1: unknown field 'inform': did you mean 'informed'?")]
    [InlineData("""{"date":"2019-07-04","from":"JP","to":"KR","item":"JP:3(1)","end_usr":"X"}""", "unknown-field", "unknown field 'end_usr': did you mean 'end_user'?")]
    [InlineData("""{"date":"2019-07-04","from":"JP","to":"KR","item":"JP:3(1)","value":{"amout":1,"currency":"JPY"}}""", "unknown-field", "unknown field 'value.amout': did you mean 'value.amount'?")]
    [InlineData("""{"date":"2019-07-04","from":"JP","to":"KR","item":"JP:3(1)","order_no":7}""", "unknown-field", "unknown field 'order_no': did you mean 'order'?")]
    [InlineData("""{"date":"2019-07-04","from":"JP","to":"Japn","item":"JP:3(1)"}""", "unknown-country", "field 'to': 'Japn' is not a country (an ISO 3166-1 alpha-2 code such as JP, or an English name such as Japan): did you mean 'Japan' (JP)?")]
    [InlineData("""{"date":"2019-07-04","from":"JP","to":"KR","item":"JP:3(1)","held":["individul"]}""", "unknown-licence", "field 'held': 'individul' is not a licence type id: did you mean 'individual'?")]
    [InlineData("""{"date":"2019-07-04","from":"JP","to":"KR","item":"JP:3(1)","held":"general-bulk"}""", "invalid-field", "'held'")]
    [InlineData("""{"date":20190704,"from":"JP","to":"KR","item":"JP:3(1)"}""", "invalid-field", "'date'")]
    [InlineData("""{"date":"2019-07-04","from":"JP","to":"JP","item":"JP:3(1)"}""", "invalid-field", "'to'")]
    [InlineData("""{"date":"2019-07-04","from":"KR","to":"JP","item":"JP:3(1)"}""", "unknown-item", "'item'")]
    [InlineData("""{"date":"2019-07-04","from":"JP","to":"KR","item":"JP:3(1)"} trailing""", "malformed-json", "line 1")]
    [InlineData("""[1,2,3]""", "malformed-json", "line 1")]
    [InlineData("""{"date":"2019-7-4","from":"JP","to":"KR","item":"JP:3(1)"}""", "invalid-date", "'date'")]
    public void Read_BadField_ErrorNamesFieldAndLine(string line, string code, string mentioned)
    {
        var (results, _) = CheckBatchTests.Run(line);

        var error = Assert.Single(results).GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Contains(mentioned, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_InvalidUtf8_ErrorNotCrash()
    {
        var line = Encoding.UTF8.GetBytes("""{"id":"a","date":"2019-07-04","from":"JP","to":"KR","item":"JP:3(1)","end_user":"X""")
            .Concat(new byte[] { 0xC3, 0x28, 0xFF })
            .Concat(Encoding.UTF8.GetBytes("\"}\n{\"id\":\"b\",\"date\":\"2019-07-04\",\"from\":\"JP\",\"to\":\"KR\",\"item\":\"JP:3(1)\"}\n"))
            .ToArray();

        var (results, summary) = CheckBatchTests.Run("", new MemoryStream(line));

        Assert.Equal(2, results.Count);
        Assert.Equal(1, summary.Errors);
        Assert.Equal("malformed-json", results[0].GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("license-required", results[1].GetProperty("verdict").GetString());
    }

    [Fact]
    public void Read_InvalidUtf8Id_ErrorAndOutputStaysValidJson()
    {
        var line = Encoding.UTF8.GetBytes("{\"id\":\"")
            .Concat(new byte[] { 0xFF, 0xFE })
            .Concat(Encoding.UTF8.GetBytes("\",\"date\":\"2019-07-04\",\"from\":\"JP\",\"to\":\"KR\",\"item\":\"JP:3(1)\"}\n"))
            .ToArray();

        var (results, _) = CheckBatchTests.Run("", new MemoryStream(line));

        Assert.Contains("field 'id'", Assert.Single(results).GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EscapedEndUser_Accepted()
    {
        var (results, summary) = CheckBatchTests.Run("""{"id":"q\"1","date":"2019-07-04","from":"jp","to":"kr","item":"jp:3(1)","end_user":"Caf\u00e9 \"X\""}""");

        Assert.Equal(0, summary.Errors);
        Assert.Equal("q\"1", results[0].GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Array, results[0].GetProperty("eligible_licenses").ValueKind);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData("\"yes\"", true)]
    [InlineData("\"No\"", false)]
    [InlineData("\"TRUE\"", true)]
    [InlineData("\"1\"", true)]
    [InlineData("\"0\"", false)]
    [InlineData("\"y\\u0065s\"", true)]
    [InlineData("null", false)]
    public void Read_InformedAsPeopleTypeIt_Accepted(string json, bool informed)
    {
        var line = Encoding.UTF8.GetBytes($$"""{"date":"2019-07-04","from":"JP","to":"KR","item":"JP:16","informed":{{json}}}""");

        Assert.Equal(informed, new JsonLineReader().Read(line, 1).Shipment!.Informed);
        Assert.Equal(informed, ReferenceJsonLineReader.Read(line, 1).Shipment!.Informed);
    }

    [Theory]
    [InlineData("\"Japan\"", "\"South Korea\"", "JP", "KR")]
    [InlineData("\"japan\"", "\"UNITED ARAB EMIRATES\"", "JP", "AE")]
    [InlineData("\"jp\"", "\"China\"", "JP", "CN")]
    public void Read_CountryByEnglishName_Accepted(string from, string to, string fromCode, string toCode)
    {
        var line = Encoding.UTF8.GetBytes($$"""{"date":"2019-07-04","from":{{from}},"to":{{to}},"item":"JP:16"}""");

        var shipment = new JsonLineReader().Read(line, 1).Shipment!;
        Assert.Equal((fromCode, toCode), (shipment.From.Value, shipment.To.Value));
    }

    [Theory]
    [InlineData("Civil", "Civil")]
    [InlineData("WMD", "Wmd")]
    [InlineData(" conventional-MILITARY ", "ConventionalMilitary")]
    public void Read_EndUseAnyCase_Accepted(string endUse, string expected)
    {
        var line = Encoding.UTF8.GetBytes($$"""{"date":"2019-07-04","from":"JP","to":"KR","item":"JP:16","end_use":"{{endUse}}"}""");

        Assert.Equal(expected, new JsonLineReader().Read(line, 1).Shipment!.EndUse.ToString());
    }

    [Fact]
    public void Run_HeldAnyCase_CanonicalAndCovers()
    {
        var (results, summary) = CheckBatchTests.Run("""
            {"id":"a","date":"2019-07-04","from":"JP","to":"KR","item":"JP:3(1)","held":["INDIVIDUAL"]}
            {"id":"b","date":"2019-07-04","from":"JP","to":"KR","item":"JP:3(1)","held":["jp:Individual"]}
            """);

        Assert.Equal(0, summary.Errors);
        Assert.Equal(["individual", "individual"], results.Select(r => r.GetProperty("covered_by").GetString()));
    }
}
