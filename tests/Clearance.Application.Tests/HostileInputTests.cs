using System.Text;
using Clearance.Application;
using Clearance.Screening.Lists;

namespace Clearance.Application.Tests;

/// <summary>Issue 7: one strict decoding and bounded lines for <c>check</c> and <c>screen --input</c>.</summary>
public sealed class HostileInputTests
{
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];
    private const string Shipment = """{"id": "o-1", "date": "2019-07-04", "from": "JP", "to": "KR", "item": "JP:3(1)", "end_use": "civil"}""";

    [Fact]
    public void JsonLinesRead_Bom_LineOneIsNotMalformed()
    {
        var line = Assert.Single(JsonLinesInput.Read(new MemoryStream([.. Utf8Bom, .. Encoding.UTF8.GetBytes(Shipment + "\n")])));

        Assert.Null(line.Error);
        Assert.Equal("o-1", line.Id?.Text);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void JsonLinesRead_InvalidUtf8_SameErrorWithOrWithoutBom(bool bom)
    {
        byte[] bytes = [.. Encoding.UTF8.GetBytes(Shipment + "\n"), .. """{"id": "o-2", "date": "2019-07-04", "from": "JP", "to": "KR", "item": "JP:3(1)", "end_user": "KUNL"""u8, 0xE9, .. "N\"}\n"u8];

        var lines = JsonLinesInput.Read(new MemoryStream(bom ? [.. Utf8Bom, .. bytes] : bytes)).ToList();

        Assert.Null(lines[0].Error);
        Assert.Equal("line 2: field 'end_user': not valid UTF-8 text", lines[1].Error?.Message);
    }

    [Fact]
    public void JsonLinesRead_EndlessLine_ErrorWithinTheLimit()
    {
        var source = new EndlessStream((byte)'a', 64 << 20);

        var line = JsonLinesInput.Read(source).First();

        Assert.Equal(1, line.Line);
        Assert.Equal("malformed-json", line.Error?.Code);
        Assert.Contains("longer than the maximum of 1,048,576 bytes", line.Error?.Message, StringComparison.Ordinal);
        Assert.True(line.Error!.Message.Length < 400, line.Error.Message.Length.ToString());
        Assert.True(source.BytesRead <= 4 << 20, source.BytesRead.ToString());
    }

    [Fact]
    public void JsonLinesRead_LongLineAfterGoodOne_ErrorOnItsLineEndsTheInput()
    {
        var input = Shipment + "\n" + "{\"id\": \"" + new string('x', 3000) + "\"}\n" + Shipment.Replace("o-1", "o-3") + "\n";

        var lines = JsonLinesInput.Read(new MemoryStream(Encoding.UTF8.GetBytes(input)), maxLineLength: 1000).ToList();

        Assert.Equal([1L, 2L], lines.Select(l => l.Line));
        Assert.Null(lines[0].Error);
        Assert.Contains("line 2: line longer than the maximum of 1,000 bytes (starts '{\"id\": \"xxx", lines[1].Error?.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CsvShipmentRead_InvalidUtf8_ErrorNamesLineWithOrWithoutBom(bool bom)
    {
        byte[] bytes = [.. "id,date,from,to,item,end_user\nc1,2019-07-04,JP,KR,JP:3(1),ok\nc2,2019-07-04,JP,KR,JP:3(1),KUNL"u8, 0xE9, .. "N\n"u8];

        var lines = CsvShipmentReader.Read(new MemoryStream(bom ? [.. Utf8Bom, .. bytes] : bytes), "orders.csv").ToList();

        var error = Assert.Single(lines, l => l.Error is not null).Error!;
        Assert.Equal("invalid-csv", error.Code);
        Assert.Contains("orders.csv:3: field '#6': bytes that are not valid utf-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CsvShipmentRead_Bom_HeaderRead()
    {
        var lines = CsvShipmentReader.Read(new MemoryStream([.. Utf8Bom, .. "id,date,from,to,item\nc1,2019-07-04,JP,KR,JP:3(1)\n"u8]), "orders.csv").ToList();

        Assert.Null(Assert.Single(lines).Error);
    }

    [Fact]
    public void CsvShipmentRead_EndlessLine_ErrorWithinTheLimit()
    {
        var source = new EndlessStream((byte)'a', 64 << 20);

        var line = CsvShipmentReader.Read(source, "endless.csv").First();

        Assert.Equal("invalid-csv", line.Error?.Code);
        Assert.Contains("endless.csv:1: field '#1': record longer than the maximum", line.Error?.Message, StringComparison.Ordinal);
        Assert.True(line.Error!.Message.Length < 400, line.Error.Message.Length.ToString());
    }

    [Theory]
    [InlineData("parties.jsonl", false)]
    [InlineData("parties.jsonl", true)]
    [InlineData("parties.csv", false)]
    [InlineData("parties.csv", true)]
    public void ScreenInputReadParties_InvalidUtf8_ErrorRecordNamesLineWithOrWithoutBom(string name, bool bom)
    {
        bool csv = name.EndsWith(".csv", StringComparison.Ordinal);
        byte[] bytes = csv
            ? [.. "id,name\n1,BANK OF CHINA\n2,KUNL"u8, 0xE9, .. "N\n"u8]
            : [.. "{\"name\": \"BANK OF CHINA\"}\n{\"name\": \"KUNL"u8, 0xE9, .. "N\"}\n{\"name\": \"AFTER\"}\n"u8];
        using var source = new MemoryStream(bom ? [.. Utf8Bom, .. bytes] : bytes);

        var lines = ScreenInput.ReadParties(source, name, csv).ToList();

        Assert.Equal("BANK OF CHINA", lines[0].Record?.Name);
        Assert.Equal(csv ? "invalid-csv" : "invalid-utf8", lines[1].Error?.Code);
        Assert.Matches(csv ? ":3: " : "^line 2: ", lines[1].Error!.Message);
        // A JSON line is read on its own: the batch goes on; a CSV record's end is unknown after bad bytes.
        Assert.Equal(csv ? 2 : 3, lines.Count);
    }

    [Theory]
    [InlineData("parties.jsonl")]
    [InlineData("parties.csv")]
    public void ScreenInputReadParties_Bom_FirstLineRead(string name)
    {
        bool csv = name.EndsWith(".csv", StringComparison.Ordinal);
        using var source = new MemoryStream([.. Utf8Bom, .. csv ? "id,name\n1,BANK OF CHINA\n"u8 : "{\"id\": \"1\", \"name\": \"BANK OF CHINA\"}\n"u8]);

        var party = Assert.Single(ScreenInput.ReadParties(source, name, csv)).Record!;

        Assert.Equal(("1", "BANK OF CHINA"), (party.Id, party.Name));
    }
}
